package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet bench-train DIR}: training throughput of a bundle on random data. The steps run on an
 * in-memory copy of the model; the bundle's checkpoint is not changed.
 */
@Command(
        name = "bench-train",
        mixinStandardHelpOptions = true,
        description = "Measure training images/s of a bundle on random data (the checkpoint is not changed).")
final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the training bundle")
    Path dir;

    @Option(names = "--batch", paramLabel = "B", description = "images per step (default: ${DEFAULT-VALUE})")
    int batch = 32;

    @Option(names = "--steps", paramLabel = "N", description = "timed steps (default: ${DEFAULT-VALUE})")
    int steps = 10;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup = 2;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws IOException {
        if (batch < 2 || batch > 65536) {
            throw new UserError("--batch must be between 2 and 65536, got " + batch);
        }
        if (steps < 1 || warmup < 0) {
            throw new UserError("--steps must be ≥ 1 and --warmup ≥ 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        // Read-only: the steps change an in-memory copy only, so a benchmark may run beside training.
        try (TrainingBundle bundle = TrainingBundle.openReadOnly(dir, device.device())) {
            Manifest m = bundle.manifest();
            int[] chw = m.inputShape();
            Random rnd = new Random(0);
            float[] x = new float[Math.multiplyExact(batch, chw[0] * chw[1] * chw[2])];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            long[] y = new long[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = rnd.nextInt(m.classes());
            }
            Tensor input = Tensor.ofFloats(new int[] {batch, chw[0], chw[1], chw[2]}, x);
            Tensor labels = Tensor.ofLongs(new int[] {batch}, y);
            float lr = m.hyperparameters().learningRate();
            for (int i = 0; i < warmup; i++) {
                bundle.step(input, labels, lr);
            }
            long start = System.nanoTime();
            float loss = 0;
            for (int i = 0; i < steps; i++) {
                loss = bundle.step(input, labels, lr).loss();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    "%s on %s: batch %d, %d steps in %.2f s: %.1f ms/step, %.1f images/s (last loss %.4f)%n",
                    m.model(), device, batch, steps, seconds, 1000 * seconds / steps, batch * steps / seconds, loss);
        }
        return 0;
    }
}
