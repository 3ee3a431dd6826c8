package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * What the check that no step commits a NaN or an infinity costs next to the step itself (bench/finite_check.sh).
 * Not a test: it times things. Rounds alternate a training step of the bundle and a scan of buffers of the bundle's
 * parameter, momentum and statistics sizes, and print the median of each and their ratio.
 *
 * <pre>{@code FiniteCheckBenchmark BUNDLE_DIR BATCH ROUNDS}</pre>
 */
public final class FiniteCheckBenchmark {
    private FiniteCheckBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        printCpu();
        try (TrainingBundle bundle = TrainingBundle.openReadOnly(dir, Device.CPU)) {
            Manifest m = bundle.manifest();
            int params = m.parameterLayout().size();
            int stats = m.statisticsLayout().size();
            FloatBuffer[] buffers = {random(params), random(params), random(Math.max(1, stats))};
            int[] chw = m.inputShape();
            Random rnd = new Random(0);
            float[] x = new float[batch * chw[0] * chw[1] * chw[2]];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            long[] y = new long[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = rnd.nextInt(m.classes());
            }
            Tensor input = Tensor.ofFloats(new int[] {batch, chw[0], chw[1], chw[2]}, x);
            Tensor labels = Tensor.ofLongs(new int[] {batch}, y);
            bundle.step(input, labels, 0.01f); // warm-up
            for (int i = 0; i < 20; i++) {
                scan(buffers);
            }
            double[] step = new double[rounds];
            double[] check = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                bundle.step(input, labels, 0.01f);
                long t1 = System.nanoTime();
                int found = scan(buffers);
                long t2 = System.nanoTime();
                if (found >= 0) {
                    throw new IllegalStateException("random buffers hold a non-finite value");
                }
                step[r] = (t1 - t0) / 1e6;
                check[r] = (t2 - t1) / 1e6;
            }
            double s = median(step);
            double c = median(check);
            System.out.printf(
                    "%s: %,d parameters, %,d statistics, batch %d: step %.2f ms, finiteness check %.3f ms (%.2f%% of a"
                            + " step), median of %d rounds%n",
                    m.model(), params, stats, batch, s, c, 100 * c / s, rounds);
        }
    }

    /** What the bundle scans after a step: new parameters, new momentum, new statistics. */
    private static int scan(FloatBuffer[] buffers) {
        int found = -1;
        for (FloatBuffer b : buffers) {
            found = Math.max(found, NonFinite.indexIn(b));
        }
        return found;
    }

    private static FloatBuffer random(int floats) {
        FloatBuffer b = ByteBuffer.allocateDirect(floats * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        Random r = new Random(floats);
        for (int i = 0; i < floats; i++) {
            b.put(i, (float) r.nextGaussian());
        }
        return b;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void printCpu() throws Exception {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return;
        }
        String model = "";
        String flags = "";
        for (String line : Files.readAllLines(cpuinfo)) {
            if (model.isEmpty() && line.startsWith("model name")) {
                model = line.substring(line.indexOf(':') + 1).trim();
            } else if (flags.isEmpty() && line.startsWith("flags")) {
                flags = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        StringBuilder simd = new StringBuilder();
        for (String f : new String[] {"sse4_2", "avx", "avx2", "fma", "avx512f"}) {
            if ((" " + flags + " ").contains(" " + f + " ")) {
                simd.append(' ').append(f);
            }
        }
        System.out.println(
                "CPU: " + model + ", " + Runtime.getRuntime().availableProcessors() + " cores, flags:" + simd);
    }
}
