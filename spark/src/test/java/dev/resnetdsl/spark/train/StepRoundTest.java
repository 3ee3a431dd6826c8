package dev.resnetdsl.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.resnetdsl.cli.ResNetCli;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.spark.LocalSpark;
import dev.resnetdsl.spark.cli.ResNetSparkCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The definition of a K = 1 round: with two workers it equals the average of the two workers' single-process
 * {@code resnet step} results from the same checkpoint — parameters, momentum and BN statistics.
 */
class StepRoundTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String[] run(boolean sparkCli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = sparkCli
                ? ResNetSparkCli.run(new PrintWriter(out), new PrintWriter(err), args)
                : ResNetCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    private static Path batch(Path file, float[] input, long[] labels, int n) throws IOException {
        Safetensors.write(
                file,
                Map.of(
                        "input", Tensor.ofFloats(new int[] {n, 1, 28, 28}, input),
                        "labels", Tensor.ofLongs(new int[] {n}, labels)));
        return file;
    }

    @Test
    void oneRoundOfTwoWorkersIsTheAverageOfTheirSingleProcessSteps() throws IOException {
        Path original = TinyBundles.bundle(dir, "tiny");
        Path a = TinyBundles.copy(original, dir.resolve("a"));
        Path b = TinyBundles.copy(original, dir.resolve("b"));
        Path c = TinyBundles.copy(original, dir.resolve("c"));
        int n = 8;
        int size = 28 * 28;
        Random r = new Random(5);
        float[] input = new float[n * size];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        Path whole = batch(dir.resolve("whole.safetensors"), input, labels, n);
        Path first = batch(
                dir.resolve("first.safetensors"),
                Arrays.copyOfRange(input, 0, 4 * size),
                Arrays.copyOfRange(labels, 0, 4),
                4);
        Path second = batch(
                dir.resolve("second.safetensors"),
                Arrays.copyOfRange(input, 4 * size, 8 * size),
                Arrays.copyOfRange(labels, 4, 8),
                4);

        Path outA = dir.resolve("a.safetensors");
        Path outB = dir.resolve("b.safetensors");
        Path outC = dir.resolve("c.safetensors");
        String[] ra = run(false, "step", a.toString(), "--batch", first.toString(), "--out", outA.toString());
        assertEquals("0", ra[0], ra[2]);
        String[] rb = run(false, "step", b.toString(), "--batch", second.toString(), "--out", outB.toString());
        assertEquals("0", rb[0], rb[2]);
        String[] rc = run(
                true, "step", c.toString(), "--batch", whole.toString(), "--workers", "2", "--out", outC.toString());
        assertEquals("0", rc[0], rc[2]);
        assertTrue(rc[1].contains("2 workers, mean loss"), rc[1]);

        Map<String, Tensor> sa = Safetensors.read(outA).tensors();
        Map<String, Tensor> sb = Safetensors.read(outB).tensors();
        Map<String, Tensor> sc = Safetensors.read(outC).tensors();
        assertClose("loss", mean(sa.get("loss"), sb.get("loss")), sc.get("loss").floats());
        int compared = 0;
        for (String name : sa.keySet()) {
            if (name.startsWith("after.")) {
                assertClose(name, mean(sa.get(name), sb.get(name)), sc.get(name).floats());
                compared++;
            }
        }
        assertTrue(compared > 10 && sa.containsKey("after.bn1.running_var"), "parameters and BN statistics");

        // The bundles' checkpoints advanced: parameters, statistics and momentum buffers.
        Map<String, Tensor> ca = TinyBundles.checkpoint(a);
        Map<String, Tensor> cb = TinyBundles.checkpoint(b);
        Map<String, Tensor> cc = TinyBundles.checkpoint(c);
        int momenta = 0;
        for (String name : ca.keySet()) {
            if (ca.get(name).dtype() == DType.F32) {
                assertClose(
                        "checkpoint " + name,
                        mean(ca.get(name), cb.get(name)),
                        cc.get(name).floats());
                momenta += name.startsWith("momentum.") ? 1 : 0;
            }
        }
        assertTrue(momenta > 5, "momentum buffers compared");
        assertEquals(1, cc.get("step").longs()[0]);
    }

    @Test
    void aBatchThatDoesNotSplitEvenlyIsAOneLineError() throws IOException {
        Path bundle = TinyBundles.bundle(dir, "uneven");
        Path seven = batch(dir.resolve("seven.safetensors"), new float[7 * 28 * 28], new long[7], 7);
        String[] r = run(
                true,
                "step",
                bundle.toString(),
                "--batch",
                seven.toString(),
                "--workers",
                "2",
                "--out",
                dir.resolve("x.safetensors").toString());
        assertEquals("1", r[0]);
        assertTrue(
                r[2].startsWith("resnet-spark: error: ") && r[2].contains("does not split into 2 equal parts"), r[2]);
        assertEquals(0, TinyBundles.checkpoint(bundle).get("step").longs()[0], "nothing stepped");
    }

    private static float[] mean(Tensor x, Tensor y) {
        float[] a = x.floats();
        float[] b = y.floats();
        float[] m = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            m[i] = (a[i] + b[i]) / 2;
        }
        return m;
    }

    /** Equal to float rounding: the workers run ONNX Runtime with one thread, the single processes with two. */
    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float tolerance = 1e-6f + 1e-5f * Math.abs(expected[i]);
            if (Math.abs(expected[i] - actual[i]) > tolerance) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
