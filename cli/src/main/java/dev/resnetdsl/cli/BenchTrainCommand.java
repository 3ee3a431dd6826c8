package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.graph.GraphSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "untimed steps first (default: ${DEFAULT-VALUE}); with 0, the first of the --steps is"
                    + " reported apart and the others are timed")
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
        StepClock open = StepClock.start();
        // Read-only: the steps change an in-memory copy only, so a benchmark may run beside training.
        try (TrainingBundle bundle = TrainingBundle.openReadOnly(dir, device.device())) {
            open.stop();
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
            // The first step also sizes ONNX Runtime's memory arena; it is reported on its own.
            StepClock first = StepClock.start();
            float loss = bundle.step(input, labels, lr).loss();
            first.stop();
            for (int i = 1; i < warmup; i++) {
                bundle.step(input, labels, lr);
            }
            StepClock timed = StepClock.start();
            for (int i = warmup > 0 ? 0 : 1; i < steps; i++) {
                loss = bundle.step(input, labels, lr).loss();
            }
            timed.stop();
            int timedSteps = warmup > 0 ? steps : steps - 1;
            if (timedSteps == 0) {
                timed = first;
                timedSteps = 1;
            }
            double seconds = timed.wall();
            out.printf(
                    "%s on %s: batch %d, %d steps in %.2f s: %.1f ms/step, %.1f images/s (last loss %.4f)%n",
                    m.model(),
                    device,
                    batch,
                    timedSteps,
                    seconds,
                    1000 * seconds / timedSteps,
                    batch * timedSteps / seconds,
                    loss);
            out.printf(
                    Locale.ROOT,
                    "  opened in %.2f s (%.2f s CPU); first step %.2f s (%.2f s CPU); timed steps %.2f s CPU each;"
                            + " %s; peak resident memory %s%n",
                    open.wall(),
                    open.cpu(),
                    first.wall(),
                    first.cpu(),
                    timed.cpu() / timedSteps,
                    graphSize(),
                    peakResidentMemory());
            NonFiniteWarning.check(spec.commandLine().getErr(), "the last step's loss", loss);
        }
        return 0;
    }

    /** The step graph's nodes: those in the file (what opening it works through) and those a step runs. */
    private String graphSize() {
        try {
            GraphSize size = GraphSize.of(OnnxFiles.read(dir.resolve(TrainingBundle.TRAIN_STEP_FILE)));
            return String.format(
                    Locale.ROOT,
                    "%s: %,d nodes%s",
                    TrainingBundle.TRAIN_STEP_FILE,
                    size.fileNodes(),
                    size.scans() == 0
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    " (%d loops over repeated blocks), %,d run per step",
                                    size.scans() / 2,
                                    size.stepNodes()));
        } catch (IOException | RuntimeException e) {
            return TrainingBundle.TRAIN_STEP_FILE + ": size unknown";
        }
    }

    /** The process's peak resident set (Linux's VmHWM), or "unknown" elsewhere. */
    private static String peakResidentMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.2f GB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    /** Wall time and the whole process's CPU time (ONNX Runtime's threads included) of a stretch of work. */
    private static final class StepClock {
        private final long wall0 = System.nanoTime();
        private final long cpu0 = cpuNanos();
        private long wall1;
        private long cpu1;

        static StepClock start() {
            return new StepClock();
        }

        void stop() {
            wall1 = System.nanoTime();
            cpu1 = cpuNanos();
        }

        double wall() {
            return (wall1 - wall0) / 1e9;
        }

        double cpu() {
            return (cpu1 - cpu0) / 1e9;
        }

        private static long cpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime()
                    : 0;
        }
    }
}
