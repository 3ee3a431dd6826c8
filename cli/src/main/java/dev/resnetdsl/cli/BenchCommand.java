package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.quantize.QuantizationRecord;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet bench MODEL.onnx [--vs OTHER.onnx]…}: inference throughput. With {@code --vs}, all models run in
 * this process, alternating batch by batch after a warm-up (the order flips every round), so that all see the
 * same machine state; each ratio is MODEL's images/s over another's. Int8 models (with a quantization record in
 * their metadata) are marked as such.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure images/s of a model (and of another one, alternately, with --vs).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Option(
            names = "--vs",
            paramLabel = "OTHER.onnx",
            description = "a model to compare with (repeatable: all run alternately)")
    List<Path> others = new ArrayList<>();

    @Option(
            names = "--batch",
            defaultValue = "8",
            paramLabel = "N",
            description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--iters",
            defaultValue = "20",
            paramLabel = "N",
            description = "timed batches per model (default: ${DEFAULT-VALUE})")
    int iters;

    @Option(
            names = "--warmup",
            defaultValue = "3",
            paramLabel = "N",
            description = "untimed batches per model first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Mixin
    DeviceOption device;

    /** Largest --batch accepted (the same bound as bench-train's). */
    static final int MAX_BATCH = 65536;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || iters < 1 || warmup < 0) {
            throw new UserError("--batch and --iters must be at least 1, --warmup at least 0");
        }
        if (batch > MAX_BATCH) {
            throw new UserError("--batch must be at most " + MAX_BATCH + ", got " + batch);
        }
        Device d = device.device();
        List<Path> paths = new ArrayList<>(List.of(model));
        paths.addAll(others);
        List<Inference> sessions = new ArrayList<>();
        try {
            List<Tensor> inputs = new ArrayList<>();
            for (Path p : paths) {
                Inference inference = DeviceOption.open(p, d);
                sessions.add(inference);
                inputs.add(randomBatch(inference.inputShape(), batch));
            }
            for (int w = 0; w < warmup; w++) {
                for (int m = 0; m < sessions.size(); m++) {
                    sessions.get(m).run(inputs.get(m));
                }
            }
            long[] nanos = new long[sessions.size()];
            for (int i = 0; i < iters; i++) {
                for (int k = 0; k < sessions.size(); k++) {
                    int m = i % 2 == 0 ? k : sessions.size() - 1 - k;
                    long t0 = System.nanoTime();
                    sessions.get(m).run(inputs.get(m));
                    nanos[m] += System.nanoTime() - t0;
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("device %s, batch %d, %d timed batches per model after %d warm-up%n", d, batch, iters, warmup);
            double[] rate = new double[sessions.size()];
            for (int m = 0; m < sessions.size(); m++) {
                rate[m] = (double) batch * iters / (nanos[m] / 1e9);
                boolean int8 = sessions.get(m).metadata().containsKey(QuantizationRecord.METADATA_KEY);
                out.printf(
                        "%-40s %-6s %9.2f images/s  %9.2f ms/batch%n",
                        paths.get(m), int8 ? "int8" : "", rate[m], nanos[m] / 1e6 / iters);
            }
            for (int m = 1; m < rate.length; m++) {
                out.printf(
                        "ratio %s / %s: %.3fx%n",
                        paths.get(0).getFileName(), paths.get(m).getFileName(), rate[0] / rate[m]);
            }
        } finally {
            for (Inference s : sessions) {
                s.close();
            }
        }
        return 0;
    }

    private static Tensor randomBatch(long[] shape, int batch) {
        int[] dims = new int[shape.length];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            dims[i] = i == 0 ? batch : (int) shape[i];
            if (dims[i] < 1) {
                throw new UserError("the model's input has a symbolic dimension other than the batch; cannot bench it");
            }
            n *= dims[i];
        }
        // The batch is held once in Java and once by ONNX Runtime, next to the activations: refuse what cannot fit
        // before allocating, and say how much it would take.
        long bytes = 4 * n;
        long available = Runtime.getRuntime().maxMemory() / 4;
        if (n > Integer.MAX_VALUE - 8 || bytes > available) {
            throw new UserError(String.format(
                    "--batch %d needs %.1f MB for one input batch; this JVM allows batches up to %.1f MB (a quarter"
                            + " of its heap) — use a smaller --batch or a larger heap (RESNET_JAVA_OPTS=-Xmx…)",
                    batch, bytes / 1e6, available / 1e6));
        }
        float[] data = new float[Math.toIntExact(n)];
        SplittableRandom r = new SplittableRandom(0);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.ofFloats(dims, data);
    }
}
