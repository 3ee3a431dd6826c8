package dev.resnetdsl.training.bundle;

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
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.graph.GraphRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's life cycle, SGD semantics, and every kind of bad input. */
class TrainingBundleTest {
    @TempDir
    Path tmp;

    static Network tiny(String name, int width) {
        NetworkBuilder b = NetworkBuilder.create(name, 3, 8, 8);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), width, 3, 1, 1, 1)));
        x = TinyNets.basicBlock(b, "layer1.0", x, 2 * width, 2);
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 4));
    }

    private Path bundle(Network net, Hyperparameters hp) throws IOException {
        Path dir = tmp.resolve(net.name());
        TrainingBundle.write(dir, Weights.initial(net, InitPolicy.defaults()), hp);
        return dir;
    }

    @Test
    void writesTheFourFilesAndAManifestThatDescribesThem() throws Exception {
        Network net = tiny("Tiny", 4);
        Path dir = bundle(net, Hyperparameters.defaults());
        for (String f : new String[] {"train_step.onnx", "eval.onnx", "checkpoint.safetensors", "manifest.json"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        Manifest m = Manifest.read(dir.resolve("manifest.json"));
        assertEquals(net.trainableParameterCount(), m.parameterLayout().size());
        assertArrayEquals(new int[] {3, 8, 8}, m.inputShape());
        assertEquals(4, m.classes());
        assertEquals(0.9f, m.hyperparameters().momentum());
        assertEquals("conv1.weight", m.parameters().get(0).name());
    }

    @Test
    void sgdWithMomentumNesterovAndWeightDecayFollowsPyTorch() throws Exception {
        Network net = tiny("Nesterov", 4);
        Hyperparameters hp = new Hyperparameters(0.05f, 0.9f, 5e-4f, true);
        Path dir = bundle(net, hp);
        Random rnd = new Random(1);
        try (TrainingBundle b = TrainingBundle.open(dir, Device.CPU)) {
            Map<String, Tensor> v = new LinkedHashMap<>();
            for (int step = 0; step < 2; step++) {
                Map<String, Tensor> before = b.weights();
                Map<String, Tensor> grads = new LinkedHashMap<>();
                float lr = step == 0 ? 0.05f : 0.02f; // the learning rate is a graph input: scheduling works
                b.stepWithGradients(
                        GraphRunner.randomInput(net, 4, rnd), GraphRunner.randomLabels(net, 4, rnd), lr, grads);
                Map<String, Tensor> after = b.weights();
                Map<String, Tensor> momentum = b.momentumBuffers();
                for (String name : grads.keySet()) {
                    float[] w = before.get(name).floats();
                    float[] g = grads.get(name).floats();
                    float[] vPrev = v.containsKey(name) ? v.get(name).floats() : new float[w.length];
                    float[] vNew = new float[w.length];
                    for (int i = 0; i < w.length; i++) {
                        float d = g[i] + hp.weightDecay() * w[i];
                        vNew[i] = hp.momentum() * vPrev[i] + d;
                        float expected = w[i] - lr * (d + hp.momentum() * vNew[i]);
                        assertEquals(expected, after.get(name).floats()[i], 1e-6f, name);
                        assertEquals(vNew[i], momentum.get(name).floats()[i], 1e-6f, name);
                    }
                    v.put(name, Tensor.ofFloats(grads.get(name).shape(), vNew));
                }
            }
            assertEquals(2, b.step());
        }
    }

    @Test
    void checkpointRoundTripsStateAndTrainerExtras() throws Exception {
        Network net = tiny("RoundTrip", 4);
        Path dir = bundle(net, Hyperparameters.defaults());
        Random rnd = new Random(2);
        Map<String, Tensor> weights;
        Map<String, Tensor> momentum;
        try (TrainingBundle b = TrainingBundle.open(dir, Device.CPU)) {
            b.step(GraphRunner.randomInput(net, 4, rnd), GraphRunner.randomLabels(net, 4, rnd), 0.1f);
            b.setEpoch(3);
            b.saveCheckpoint(Map.of("data.order", "seed=7;position=4", "rng", "12345"));
            weights = b.weights();
            momentum = b.momentumBuffers();
        }
        try (TrainingBundle b = TrainingBundle.open(dir, Device.CPU)) {
            assertEquals(1, b.step());
            assertEquals(3, b.epoch());
            assertEquals("seed=7;position=4", b.extraState().get("data.order"));
            assertEquals("12345", b.extraState().get("rng"));
            for (String name : weights.keySet()) {
                assertArrayEquals(
                        weights.get(name).floats(), b.weights().get(name).floats(), name);
            }
            for (String name : momentum.keySet()) {
                assertArrayEquals(
                        momentum.get(name).floats(),
                        b.momentumBuffers().get(name).floats(),
                        name);
            }
            EvalResult e = b.evaluate(GraphRunner.randomInput(net, 5, rnd), GraphRunner.randomLabels(net, 5, rnd));
            assertEquals(5, e.count());
            assertTrue(e.loss() > 0 && Float.isFinite(e.loss()));
        }
    }

    @Test
    void stateAndRestoreMoveEveryChangingValue() throws Exception {
        Network net = tiny("Restore", 4);
        Path dir = bundle(net, Hyperparameters.defaults());
        Random rnd = new Random(3);
        Tensor x = GraphRunner.randomInput(net, 4, rnd);
        Tensor y = GraphRunner.randomLabels(net, 4, rnd);
        try (TrainingBundle a = TrainingBundle.open(dir, Device.CPU);
                TrainingBundle b = TrainingBundle.openReadOnly(
                        dir,
                        dev.resnetdsl.runtime.ort.SessionSettings.of(Device.CPU).withIntraOpThreads(1))) {
            a.step(x, y, 0.1f);
            TrainingState s = a.state();
            assertEquals(1, s.step());
            b.restore(s);
            assertEquals(1, b.step());
            StepResult ra = a.step(x, y, 0.1f);
            StepResult rb = b.step(x, y, 0.1f);
            assertEquals(ra.loss(), rb.loss(), 1e-6f);
            TrainingState sa = a.state();
            TrainingState sb = b.state();
            assertArrayEquals(sa.params(), sb.params(), 1e-6f);
            assertArrayEquals(sa.momentum(), sb.momentum(), 1e-6f);
            assertArrayEquals(sa.stats(), sb.stats(), 1e-6f);
            assertTrue(sa.stats().length > 0 && sa.momentum()[0] != 0, "statistics and momentum moved");
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> b.restore(new TrainingState(new float[3], new float[3], new float[0], 0)));
            assertTrue(e.getMessage().contains("has 3 parameters and 0 statistics"), e.getMessage());
        }
    }

    @Test
    void labelsOutOfRangeAreRefusedAndTheStateIsUnchanged() throws Exception {
        Network net = tiny("Labels", 4);
        Path dir = bundle(net, Hyperparameters.defaults());
        byte[] checkpoint = Files.readAllBytes(dir.resolve("checkpoint.safetensors"));
        try (TrainingBundle b = TrainingBundle.open(dir, Device.CPU)) {
            Map<String, Tensor> before = b.weights();
            Tensor x = GraphRunner.randomInput(net, 3, new Random(3));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> b.step(x, Tensor.ofLongs(new int[] {3}, new long[] {0, 4, 1}), 0.1f));
            assertEquals("label 4 at index 1 is out of range: Labels has 4 classes (0..3)", e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> b.step(x, Tensor.ofLongs(new int[] {3}, new long[] {0, -1, 1}), 0.1f));
            assertEquals(0, b.step());
            assertArrayEquals(
                    before.get("conv1.weight").floats(),
                    b.weights().get("conv1.weight").floats());
        }
        assertArrayEquals(checkpoint, Files.readAllBytes(dir.resolve("checkpoint.safetensors")));
    }

    @Test
    void batchesOfTheWrongShapeAreRefused() throws Exception {
        Network net = tiny("Shapes", 4);
        Path dir = bundle(net, Hyperparameters.defaults());
        try (TrainingBundle b = TrainingBundle.open(dir, Device.CPU)) {
            Tensor labels = Tensor.ofLongs(new int[] {2}, new long[] {0, 1});
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> b.step(Tensor.zeros(2, 3, 9, 8), labels, 0.1f));
            assertEquals("input must be F32[N, 3, 8, 8] for Shapes, got F32[2, 3, 9, 8]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.step(Tensor.zeros(3, 3, 8, 8), labels, 0.1f));
            assertEquals("labels must be I64[3] (one per image), got I64[2]", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> b.step(Tensor.zeros(1, 3, 8, 8), Tensor.ofLongs(new int[] {1}, new long[] {0}), 0.1f));
            assertTrue(e.getMessage().contains("at least 2 images"), e.getMessage());
            assertEquals(0, b.step());
        }
    }

    @Test
    void aCorruptCheckpointIsAClearErrorAndStaysUntouched() throws Exception {
        Network net = tiny("Corrupt", 4);
        Path dir = bundle(net, Hyperparameters.defaults());
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        byte[] bytes = Files.readAllBytes(checkpoint);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        Files.write(checkpoint, truncated);
        IOException e = assertThrows(IOException.class, () -> TrainingBundle.open(dir, Device.CPU));
        assertTrue(e.getMessage().startsWith(checkpoint + ": cannot read checkpoint"), e.getMessage());
        assertArrayEquals(truncated, Files.readAllBytes(checkpoint));
    }

    @Test
    void aCheckpointOrGraphFromAnotherNetworkIsRefused() throws Exception {
        Path dir = bundle(tiny("Mine", 4), Hyperparameters.defaults());
        Path other = bundle(tiny("Other", 6), Hyperparameters.defaults());
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        Files.copy(
                other.resolve("checkpoint.safetensors"), checkpoint, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] foreign = Files.readAllBytes(checkpoint);
        IOException e = assertThrows(IOException.class, () -> TrainingBundle.open(dir, Device.CPU));
        assertTrue(e.getMessage().contains("checkpoint belongs to another network"), e.getMessage());
        assertArrayEquals(foreign, Files.readAllBytes(checkpoint));

        Path dir2 = bundle(tiny("Mine2", 4), Hyperparameters.defaults());
        Files.copy(
                other.resolve("train_step.onnx"),
                dir2.resolve("train_step.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = assertThrows(IOException.class, () -> TrainingBundle.open(dir2, Device.CPU));
        assertTrue(e.getMessage().contains("graph belongs to another network"), e.getMessage());
    }

    @Test
    void missingOrMisshapenWeightsAreNamedBeforeAnythingIsWritten() {
        Network net = tiny("Weights", 4);
        Map<String, Tensor> weights =
                new LinkedHashMap<>(Weights.initial(net, InitPolicy.defaults()).asMap());
        weights.remove("fc.bias");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainingBundle.write(tmp.resolve("w"), Weights.of(net, weights), Hyperparameters.defaults()));
        assertEquals("no weights for parameter fc.bias [4] of Weights", e.getMessage());
        weights.put("fc.bias", Tensor.zeros(5));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainingBundle.write(tmp.resolve("w"), Weights.of(net, weights), Hyperparameters.defaults()));
        assertEquals("weight fc.bias is F32[5], Weights needs F32[4]", e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("w")));
    }

    @Test
    void notABundleIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> TrainingBundle.open(tmp, Device.CPU));
        assertEquals(tmp + ": not a training bundle (no manifest.json)", e.getMessage());
    }

    /** Nothing non-finite is ever committed: a NaN pixel is refused, and a step that diverges is not applied. */
    @Test
    void nonFiniteBatchesAndDivergingStepsLeaveTheModelAndCheckpointAlone() throws Exception {
        Network net = tiny("Finite", 4);
        Path dir = bundle(net, Hyperparameters.defaults());
        byte[] checkpoint;
        try (TrainingBundle b = TrainingBundle.open(dir, Device.CPU)) {
            Map<String, Tensor> before = b.weights();
            Tensor labels = Tensor.ofLongs(new int[] {3}, new long[] {0, 1, 2});
            Tensor x = GraphRunner.randomInput(net, 3, new Random(5));
            float[] poisoned = x.floats().clone();
            poisoned[3 * 8 * 8 + 17] = Float.NaN;
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> b.step(Tensor.ofFloats(x.shape(), poisoned), labels, 0.1f));
            assertEquals("input holds NaN (image 1 of the batch); images must be finite numbers", e.getMessage());
            assertEquals(0, b.step());
            for (String name : before.keySet()) {
                assertArrayEquals(
                        before.get(name).floats(), b.weights().get(name).floats(), name);
            }

            // A rate this large blows the weights up to ~1e37 (still finite); the next step overflows.
            b.step(x, labels, 3e38f);
            b.saveCheckpoint(b.extraState());
            checkpoint = Files.readAllBytes(dir.resolve("checkpoint.safetensors"));
            Map<String, Tensor> blownUp = b.weights();
            DivergedStepException d = assertThrows(DivergedStepException.class, () -> b.step(x, labels, 3e38f));
            assertTrue(d.getMessage().startsWith("step 2 at learning rate 3.0E38 gives a non-finite"), d.getMessage());
            assertTrue(d.getMessage().endsWith("the step was not applied and the model is as before it"));
            assertEquals(1, b.step());
            Map<String, Tensor> after = b.weights();
            for (String name : blownUp.keySet()) {
                assertArrayEquals(blownUp.get(name).floats(), after.get(name).floats(), name);
            }
        }
        assertArrayEquals(checkpoint, Files.readAllBytes(dir.resolve("checkpoint.safetensors")));
    }
}
