package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.bundle.TrainingState;
import java.util.Arrays;

/**
 * Gradient accumulation ({@link BundleEngine} with several micro-batches): an optimizer step of a batch of N images
 * runs the bundle's step graph on M micro-batches of N / M images, one after another, so a step's peak memory is that of
 * one micro-batch (ResNet-1202 at the paper's batch of 128 needs about 25 GB in one piece, two halves of 64 fit
 * in 24 GB — docs/training-graphs.md).
 *
 * <p>How: every micro-batch's step starts from the same state (parameters, momentum, BN statistics), and the
 * committed state is the mean of the states they end in. SGD with momentum (plain or Nesterov) and weight decay is
 * affine in the gradient for a given starting state, and the batch loss is a mean over images, so the mean of the
 * micro-batches' updates <em>is</em> the update of the whole batch's mean gradient — the same result as one step on
 * the whole batch, to float rounding — except for batch normalisation: each micro-batch is normalised with its own
 * batch statistics (as PyTorch's accumulation does), and the running statistics end as the mean of the
 * micro-batches' blends. This is the averaging that data-parallel workers do after a one-step round, on one machine.
 * The extra cost is copying the state in and out once per micro-batch, small next to a step.
 */
final class MicroBatches {
    private MicroBatches() {}

    /**
     * One optimizer step on the whole batch, taken as {@code microBatches} micro-batches of {@code bundle}.
     *
     * @throws IllegalArgumentException when the batch does not split into micro-batches of equal size of at least
     *     2 images (BN needs two values per channel); the model is unchanged
     */
    static StepResult step(TrainingBundle bundle, Tensor input, Tensor labels, float learningRate, int microBatches) {
        int n = input.rank() > 0 ? input.dim(0) : 0;
        if (n % microBatches != 0 || n / microBatches < 2) {
            throw new IllegalArgumentException("a batch of " + n + " images does not split into " + microBatches
                    + " micro-batches of equal size with at least 2 images each");
        }
        if (labels.rank() != 1 || labels.dim(0) != n) {
            throw new IllegalArgumentException(
                    "labels " + labels.describe() + " do not match a batch of " + n + " images");
        }
        TrainingState start = bundle.state();
        int micro = n / microBatches;
        int perImage = input.elements() / n;
        double[] sum = null;
        double loss = 0;
        int correct = 0;
        try {
            for (int i = 0; i < microBatches; i++) {
                bundle.restore(start);
                StepResult r = bundle.step(
                        slice(input, i * micro, micro, perImage), slice(labels, i * micro, micro), learningRate);
                loss += r.loss();
                correct += r.correct();
                sum = add(sum, bundle.state());
            }
        } catch (RuntimeException e) {
            // A refused or diverged micro-step: the whole step is not taken.
            bundle.restore(start);
            throw e;
        }
        bundle.restore(mean(sum, microBatches, start, start.step() + 1));
        return new StepResult((float) (loss / microBatches), correct, n);
    }

    private static Tensor slice(Tensor images, int first, int count, int perImage) {
        int[] shape = images.shape().clone();
        shape[0] = count;
        float[] data = Arrays.copyOfRange(images.floats(), first * perImage, (first + count) * perImage);
        return Tensor.ofFloats(shape, data);
    }

    private static Tensor slice(Tensor labels, int first, int count) {
        return Tensor.ofLongs(new int[] {count}, Arrays.copyOfRange(labels.longs(), first, first + count));
    }

    /** Sums in double: the mean of a few micro-batches then rounds once, to the nearest float. */
    private static double[] add(double[] sum, TrainingState s) {
        int p = s.params().length;
        int m = s.momentum().length;
        if (sum == null) {
            sum = new double[p + m + s.stats().length];
        }
        for (int i = 0; i < p; i++) {
            sum[i] += s.params()[i];
        }
        for (int i = 0; i < m; i++) {
            sum[p + i] += s.momentum()[i];
        }
        for (int i = 0; i < s.stats().length; i++) {
            sum[p + m + i] += s.stats()[i];
        }
        return sum;
    }

    private static TrainingState mean(double[] sum, int microBatches, TrainingState like, long step) {
        float[] params = new float[like.params().length];
        float[] momentum = new float[like.momentum().length];
        float[] stats = new float[like.stats().length];
        int p = params.length;
        int m = momentum.length;
        for (int i = 0; i < p; i++) {
            params[i] = (float) (sum[i] / microBatches);
        }
        for (int i = 0; i < m; i++) {
            momentum[i] = (float) (sum[p + i] / microBatches);
        }
        for (int i = 0; i < stats.length; i++) {
            stats[i] = (float) (sum[p + m + i] / microBatches);
        }
        return new TrainingState(params, momentum, stats, step);
    }
}
