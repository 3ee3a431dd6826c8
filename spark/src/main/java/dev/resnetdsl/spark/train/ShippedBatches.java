package dev.resnetdsl.spark.train;

import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.data.Batch;
import java.util.Arrays;

/**
 * One batch held by the driver and shipped with the round, split into W equal consecutive parts: worker i steps on
 * images {@code [i·N/W, (i+1)·N/W)}. What {@code resnet-spark step} trains on.
 */
final class ShippedBatches implements WorkerBatches {
    private static final long serialVersionUID = 1L;

    private final int[] shape;
    private final float[][] inputs;
    private final long[][] labels;

    private ShippedBatches(int[] shape, float[][] inputs, long[][] labels) {
        this.shape = shape;
        this.inputs = inputs;
        this.labels = labels;
    }

    /**
     * Splits {@code input} (F32 [N, C, H, W]) and {@code labels} (I64 [N]) into {@code workers} parts.
     *
     * @throws IllegalArgumentException when N is not a multiple of W, or a part would hold fewer than two images
     */
    static ShippedBatches split(Tensor input, Tensor labels, int workers) {
        if (input.dtype() != DType.F32 || input.rank() != 4) {
            throw new IllegalArgumentException("the batch input must be F32[N, C, H, W], got " + input.describe());
        }
        int n = input.dim(0);
        if (labels.dtype() != DType.I64 || !labels.hasShape(n)) {
            throw new IllegalArgumentException(
                    "labels must be I64[" + n + "] (one per image), got " + labels.describe());
        }
        if (n % workers != 0) {
            throw new IllegalArgumentException(
                    "a batch of " + n + " images does not split into " + workers + " equal parts");
        }
        int per = n / workers;
        if (per < 2) {
            throw new IllegalArgumentException("each worker's part would have " + per
                    + " image(s); batch normalisation needs at least 2 per worker");
        }
        int size = input.dim(1) * input.dim(2) * input.dim(3);
        float[][] parts = new float[workers][];
        long[][] partLabels = new long[workers][];
        for (int i = 0; i < workers; i++) {
            parts[i] = Arrays.copyOfRange(input.floats(), i * per * size, (i + 1) * per * size);
            partLabels[i] = Arrays.copyOfRange(labels.longs(), i * per, (i + 1) * per);
        }
        return new ShippedBatches(new int[] {per, input.dim(1), input.dim(2), input.dim(3)}, parts, partLabels);
    }

    @Override
    public Batch batch(int worker, int epoch, int index) {
        return new Batch(
                Tensor.ofFloats(shape, inputs[worker]), Tensor.ofLongs(new int[] {shape[0]}, labels[worker]), index);
    }
}
