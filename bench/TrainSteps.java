import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.data.Augmentation;
import dev.resnetdsl.training.data.Batch;
import dev.resnetdsl.training.data.BatchMaker;
import dev.resnetdsl.training.data.DataSource;
import dev.resnetdsl.training.data.EpochOrder;
import dev.resnetdsl.training.data.PixelStatistics;
import dev.resnetdsl.training.data.TrainTestData;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A fixed number of SGD steps of a training bundle on real data, printing every step's loss: the check that
 * a very deep network trains (bench/depth.sh runs it on ResNet-1202's layout with MNIST's input). The batches are
 * those `resnet train` makes (per-pixel mean fitted to the training set, shuffled with seed 1, no augmentation);
 * the bundle is opened read-only: the steps change an in-memory copy, never the checkpoint.
 *
 * <pre>java -cp cli/target/resnet-cli.jar bench/TrainSteps.java BUNDLE KIND:PATH BATCH STEPS LR</pre>
 */
public class TrainSteps {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        DataSource source = DataSource.parse(args[1]);
        int batch = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        float lr = Float.parseFloat(args[4]);
        try (TrainingBundle bundle = TrainingBundle.openReadOnly(dir, Device.CPU)) {
            Manifest m = bundle.manifest();
            int[] chw = m.inputShape();
            TrainTestData data = source.load(chw[0], chw[1], chw[2], m.classes());
            Normalization norm = PixelStatistics.perPixelMean(data.train(), false);
            BatchMaker maker = new BatchMaker(
                    data.train(), norm, Augmentation.NONE, new EpochOrder(1, data.train().size()), batch);
            double first = 0;
            double last = 0;
            int window = Math.max(1, steps / 5);
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                int epoch = s / maker.batchesPerEpoch();
                Batch b = maker.make(epoch, maker.permutation(epoch), s % maker.batchesPerEpoch());
                StepResult r = bundle.step(b.input(), b.labels(), lr);
                if (!Float.isFinite(r.loss())) {
                    throw new IllegalStateException("step " + (s + 1) + ": loss " + r.loss());
                }
                first += s < window ? r.loss() / window : 0;
                last += s >= steps - window ? r.loss() / window : 0;
                System.out.printf(
                        Locale.ROOT,
                        "step %d: loss %.4f, %d/%d correct, %.1f s%n",
                        s + 1,
                        r.loss(),
                        r.correct(),
                        r.batchSize(),
                        (System.nanoTime() - start) / 1e9);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s, batch %d, lr %s: mean loss of the first %d steps %.4f, of the last %d steps %.4f (%s)%n",
                    m.model(),
                    batch,
                    lr,
                    window,
                    first,
                    window,
                    last,
                    last < first ? "falling" : "NOT falling");
        }
    }
}
