package dev.resnetdsl.training.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.bundle.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient accumulation against what it claims: one step on the whole batch when nothing depends on batch
 * statistics, and otherwise the mean of the micro-batches' steps from the same state.
 */
class MicroBatchesTest {
    private static final Hyperparameters NESTEROV = new Hyperparameters(0.05f, 0.9f, 5e-4f, true);

    @TempDir
    Path tmp;

    /** Conv, ReLU, pooling and a classifier: no BN, so the batch's split cannot change its gradient. */
    private static Network withoutBatchNorm() {
        NetworkBuilder b = NetworkBuilder.create("NoBn", 3, 8, 8);
        Activation x = b.relu(b.conv("conv1", b.input(), 6, 3, 1, 1, 1));
        x = b.relu(b.conv("conv2", x, 8, 3, 2, 1, 1));
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 4));
    }

    private static Network withBatchNorm() {
        NetworkBuilder b = NetworkBuilder.create("Bn", 3, 8, 8);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 6, 3, 1, 1, 1)));
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 4));
    }

    private Path bundle(Network net, String name) throws IOException {
        Path dir = tmp.resolve(name);
        TrainingBundle.write(dir, Weights.initial(net, InitPolicy.defaults()), NESTEROV);
        return dir;
    }

    private static Tensor images(int n, long seed) {
        Random rnd = new Random(seed);
        float[] data = new float[n * 3 * 8 * 8];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextGaussian();
        }
        return Tensor.ofFloats(new int[] {n, 3, 8, 8}, data);
    }

    private static Tensor labels(int n, long seed) {
        Random rnd = new Random(seed);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(4);
        }
        return Tensor.ofLongs(new int[] {n}, y);
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
        }
        assertTrue(worst <= tolerance, what + ": largest difference " + worst);
    }

    @Test
    void withoutBatchStatisticsFourMicroBatchesAreOneStepOnTheWholeBatch() throws Exception {
        Network net = withoutBatchNorm();
        Tensor x = images(16, 1);
        Tensor y = labels(16, 2);
        try (BundleEngine whole = BundleEngine.open(bundle(net, "whole"), Device.CPU);
                BundleEngine quarters = BundleEngine.open(bundle(net, "quarters"), Device.CPU, 4)) {
            float[] before = whole.bundle().state().params();
            for (int step = 0; step < 3; step++) { // later steps check that momentum was averaged too
                StepResult a = whole.step(x, y, 0.05f);
                StepResult b = quarters.step(x, y, 0.05f);
                assertEquals(a.loss(), b.loss(), 1e-5, "the mean of the micro-batches' losses");
                assertEquals(a.correct(), b.correct());
                assertEquals(16, b.batchSize());
            }
            TrainingState expected = whole.bundle().state();
            TrainingState actual = quarters.bundle().state();
            assertClose(expected.params(), actual.params(), 1e-5, "parameters");
            assertClose(expected.momentum(), actual.momentum(), 1e-5, "momentum");
            assertEquals(3, actual.step());
            assertTrue(differs(before, actual.params()), "the steps moved the parameters");
        }
    }

    @Test
    void withBatchNormTheStepIsTheMeanOfTheMicroBatchesStepsFromOneState() throws Exception {
        Network net = withBatchNorm();
        Tensor x = images(8, 3);
        Tensor y = labels(8, 4);
        try (TrainingBundle single = TrainingBundle.open(bundle(net, "single"), Device.CPU);
                BundleEngine halves = BundleEngine.open(bundle(net, "halves"), Device.CPU, 2)) {
            TrainingState start = single.state();
            single.step(firstHalf(x), firstHalf(y), 0.05f);
            TrainingState a = single.state();
            single.restore(start);
            single.step(secondHalf(x), secondHalf(y), 0.05f);
            TrainingState b = single.state();

            halves.step(x, y, 0.05f);
            TrainingState actual = halves.bundle().state();
            assertClose(mean(a.params(), b.params()), actual.params(), 1e-6, "parameters");
            assertClose(mean(a.momentum(), b.momentum()), actual.momentum(), 1e-6, "momentum");
            assertClose(mean(a.stats(), b.stats()), actual.stats(), 1e-6, "BN running statistics");
            assertTrue(differs(a.stats(), b.stats()), "each half blends its own batch statistics");
        }
    }

    @Test
    void aRefusedMicroBatchLeavesTheModelAsItWas() throws Exception {
        try (BundleEngine engine = BundleEngine.open(bundle(withBatchNorm(), "refused"), Device.CPU, 2)) {
            TrainingState before = engine.bundle().state();
            float[] pixels = images(8, 5).floats();
            pixels[pixels.length - 1] = Float.NaN; // in the second micro-batch: the first has already run
            Tensor poisoned = Tensor.ofFloats(new int[] {8, 3, 8, 8}, pixels);
            assertThrows(IllegalArgumentException.class, () -> engine.step(poisoned, labels(8, 6), 0.05f));
            IllegalArgumentException uneven =
                    assertThrows(IllegalArgumentException.class, () -> engine.step(images(5, 7), labels(5, 8), 0.05f));
            assertTrue(uneven.getMessage().contains("does not split into 2"), uneven.getMessage());
            TrainingState after = engine.bundle().state();
            assertArrayEquals(before.params(), after.params());
            assertArrayEquals(before.momentum(), after.momentum());
            assertArrayEquals(before.stats(), after.stats());
            assertEquals(0, engine.step());
        }
    }

    private static Tensor firstHalf(Tensor t) {
        return half(t, 0);
    }

    private static Tensor secondHalf(Tensor t) {
        return half(t, 1);
    }

    private static Tensor half(Tensor t, int which) {
        int[] shape = t.shape().clone();
        shape[0] /= 2;
        if (t.dtype() == dev.resnetdsl.runtime.tensor.DType.I64) {
            long[] all = t.longs();
            return Tensor.ofLongs(shape, java.util.Arrays.copyOfRange(all, which * shape[0], (which + 1) * shape[0]));
        }
        float[] all = t.floats();
        int len = all.length / 2;
        return Tensor.ofFloats(shape, java.util.Arrays.copyOfRange(all, which * len, (which + 1) * len));
    }

    private static float[] mean(float[] a, float[] b) {
        float[] m = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            m[i] = (float) (((double) a[i] + b[i]) / 2);
        }
        return m;
    }

    private static boolean differs(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return true;
            }
        }
        return false;
    }
}
