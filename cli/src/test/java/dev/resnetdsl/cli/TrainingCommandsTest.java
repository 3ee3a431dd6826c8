package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.runtime.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train-artifacts}, {@code step} and {@code bench-train} from the command line. */
class TrainingCommandsTest {
    @TempDir
    Path tmp;

    private static Path fixtures() {
        return Fixtures.require("cifar-resnet20-sgd");
    }

    /**
     * The spec's ResNet-20 with PyTorch's initial weights, stepped twice from the command line, reproduces
     * the fixture: loss, every parameter and BN statistic after step 1, the classifier's and last stage's
     * gradients (the earlier ones sit below a float32-ambiguous ReLU, see docs/training-graphs.md), and
     * the loss of step 2 from the advanced checkpoint.
     */
    @Test
    void stepReproducesThePyTorchFixtureAndAdvancesTheCheckpoint() throws Exception {
        Path fixtures = fixtures();
        Path bundle = tmp.resolve("bundle");
        CliRun made = CliRun.of(
                "train-artifacts",
                CliRun.rooted("specs/cifar/resnet20.resnet"),
                "-o",
                bundle.toString(),
                "--weights",
                fixtures.resolve("initial.safetensors").toString());
        assertEquals(0, made.status(), made.err());
        assertTrue(made.out().contains("269,722 parameters"), made.out());

        Path out1 = tmp.resolve("out1.safetensors");
        CliRun step1 = CliRun.of(
                "step",
                bundle.toString(),
                "--batch",
                fixtures.resolve("step1.safetensors").toString(),
                "--out",
                out1.toString());
        assertEquals(0, step1.status(), step1.err());
        assertTrue(step1.out().startsWith("step 1: loss 2.2541"), step1.out());
        TensorFile expected = Safetensors.read(fixtures.resolve("step1.safetensors"));
        TensorFile actual = Safetensors.read(out1);
        int compared = 0;
        for (Map.Entry<String, Tensor> e : actual.tensors().entrySet()) {
            String name = e.getKey();
            boolean checked = name.equals("loss")
                    || name.startsWith("after.")
                    || name.startsWith("grad.fc.")
                    || name.startsWith("grad.layer3.");
            if (checked) {
                assertClose(name, expected.require(name), e.getValue());
                compared++;
            }
        }
        // loss + 97 parameters and statistics + fc's 2 and layer3's 18 gradients
        assertEquals(1 + 97 + 2 + 18, compared);
        long grads = actual.tensors().keySet().stream()
                .filter(n -> n.startsWith("grad."))
                .count();
        assertEquals(59, grads);

        Path out2 = tmp.resolve("out2.safetensors");
        CliRun step2 = CliRun.of(
                "step",
                bundle.toString(),
                "--batch",
                fixtures.resolve("step2.safetensors").toString(),
                "--out",
                out2.toString());
        assertEquals(0, step2.status(), step2.err());
        assertTrue(step2.out().startsWith("step 2: "), step2.out());
        assertClose(
                "loss",
                Safetensors.read(fixtures.resolve("step2.safetensors")).require("loss"),
                Safetensors.read(out2).require("loss"));
    }

    private static void assertClose(String name, Tensor want, Tensor got) {
        assertArrayEquals(want.shape(), got.shape(), name);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < want.elements(); i++) {
            scale = Math.max(scale, Math.abs(want.floats()[i]));
            worst = Math.max(worst, Math.abs(want.floats()[i] - got.floats()[i]));
        }
        assertTrue(worst <= 1e-4 * scale, name + ": max diff " + worst + " vs largest magnitude " + scale);
    }

    @Test
    void aBadBatchIsOneLineErrorAndLeavesTheCheckpointAlone() throws Exception {
        Path bundle = tmp.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", CliRun.rooted("specs/cifar/resnet20.resnet"), "-o", bundle.toString())
                        .status());
        byte[] checkpoint = Files.readAllBytes(bundle.resolve("checkpoint.safetensors"));
        Path batch = tmp.resolve("batch.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("input", Tensor.zeros(2, 3, 32, 32));
        tensors.put("labels", Tensor.ofLongs(new int[] {2}, new long[] {3, 10}));
        Safetensors.write(batch, tensors);
        Path out = tmp.resolve("out.safetensors");
        CliRun run = CliRun.of("step", bundle.toString(), "--batch", batch.toString(), "--out", out.toString());
        assertEquals(1, run.status());
        assertEquals(
                "resnet: error: " + batch + ": label 10 at index 1 is out of range: ResNet20 has 10 classes (0..9)\n",
                run.err());
        assertFalse(Files.exists(out));
        assertArrayEquals(checkpoint, Files.readAllBytes(bundle.resolve("checkpoint.safetensors")));

        tensors.put("input", Tensor.zeros(2, 3, 28, 28));
        tensors.put("labels", Tensor.ofLongs(new int[] {2}, new long[] {3, 1}));
        Safetensors.write(batch, tensors);
        run = CliRun.of("step", bundle.toString(), "--batch", batch.toString(), "--out", out.toString());
        assertEquals(1, run.status());
        assertTrue(
                run.err().contains("input must be F32[N, 3, 32, 32] for ResNet20, got F32[2, 3, 28, 28]"), run.err());
        assertArrayEquals(checkpoint, Files.readAllBytes(bundle.resolve("checkpoint.safetensors")));
    }

    @Test
    void trainArtifactsRefusesToOverwriteABundleWithoutForce() {
        Path bundle = tmp.resolve("bundle");
        String spec = CliRun.rooted("specs/cifar/resnet20.resnet");
        assertEquals(
                0, CliRun.of("train-artifacts", spec, "-o", bundle.toString()).status());
        CliRun again = CliRun.of("train-artifacts", spec, "-o", bundle.toString());
        assertEquals(1, again.status());
        assertTrue(
                again.err().startsWith("resnet: error: " + bundle + " already holds a training bundle"), again.err());
        assertEquals(
                0,
                CliRun.of("train-artifacts", spec, "-o", bundle.toString(), "--force", "--nesterov")
                        .status());
    }

    @Test
    void benchTrainPrintsImagesPerSecond() {
        Path bundle = tmp.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", CliRun.rooted("specs/cifar/resnet20.resnet"), "-o", bundle.toString())
                        .status());
        CliRun run = CliRun.of("bench-train", bundle.toString(), "--batch", "4", "--steps", "2", "--warmup", "1");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().matches("(?s)ResNet20 on cpu: batch 4, 2 steps in .* images/s.*"), run.out());
        // the second line: open time, the first step apart, the step graph's size (ResNet-20's stages are loops)
        assertTrue(
                run.out()
                        .matches("(?s).*\n  opened in [0-9.]+ s \\([0-9.]+ s CPU\\); first step .*"
                                + "train_step.onnx: [0-9,]+ nodes \\(3 loops over repeated blocks\\), [0-9,]+ run per"
                                + " step; peak resident memory .*"),
                run.out());
        // with no warm-up the first of the steps is reported apart and the others are timed
        CliRun cold = CliRun.of("bench-train", bundle.toString(), "--batch", "2", "--steps", "3", "--warmup", "0");
        assertEquals(0, cold.status(), cold.err());
        assertTrue(cold.out().startsWith("ResNet20 on cpu: batch 2, 2 steps in "), cold.out());
    }

    @Test
    void aMissingBundleIsOneLineError() {
        CliRun run =
                CliRun.of("step", tmp.resolve("nope").toString(), "--batch", "b.safetensors", "--out", "o.safetensors");
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("resnet: error: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void cudaWithoutCudaIsOneLineError() throws Exception {
        Path bundle = tmp.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", CliRun.rooted("specs/cifar/resnet20.resnet"), "-o", bundle.toString())
                        .status());
        CliRun run = CliRun.of("bench-train", bundle.toString(), "--batch", "2", "--steps", "1", "--device", "cuda");
        assumeTrue(run.status() != 0, "this machine has CUDA; nothing to check");
        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().startsWith("resnet: error: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    /** A batch with a NaN pixel used to exit 0 and leave a NaN checkpoint; nothing non-finite is committed. */
    @Test
    void aNonFiniteBatchOrStepIsRefusedAndTheCheckpointStaysFinite() throws Exception {
        Path bundle = tmp.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", CliRun.rooted("specs/cifar/resnet20.resnet"), "-o", bundle.toString())
                        .status());
        byte[] checkpoint = Files.readAllBytes(bundle.resolve("checkpoint.safetensors"));
        Path batch = tmp.resolve("nan.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Tensor input = Tensor.zeros(2, 3, 32, 32);
        input.floats()[5000] = Float.NaN;
        tensors.put("input", input);
        tensors.put("labels", Tensor.ofLongs(new int[] {2}, new long[] {3, 1}));
        Safetensors.write(batch, tensors);
        Path out = tmp.resolve("out.safetensors");
        CliRun run = CliRun.of("step", bundle.toString(), "--batch", batch.toString(), "--out", out.toString());
        assertEquals(1, run.status(), run.err());
        assertEquals(
                "resnet: error: " + batch + ": input holds NaN (image 1 of the batch); images must be finite numbers\n",
                run.err());
        assertFalse(Files.exists(out));
        assertArrayEquals(checkpoint, Files.readAllBytes(bundle.resolve("checkpoint.safetensors")));

        // finite pixels, but a rate that overflows: the step is not applied either
        input.floats()[5000] = 1e30f;
        Safetensors.write(batch, tensors);
        run = CliRun.of(
                "step", bundle.toString(), "--batch", batch.toString(), "--out", out.toString(), "--lr", "3e38");
        if (run.status() == 0) { // the first huge step may stay finite; the next cannot
            checkpoint = Files.readAllBytes(bundle.resolve("checkpoint.safetensors"));
            Files.delete(out);
            run = CliRun.of(
                    "step", bundle.toString(), "--batch", batch.toString(), "--out", out.toString(), "--lr", "3e38");
        }
        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().contains("gives a non-finite"), run.err());
        assertTrue(
                run.err().endsWith("the step was not applied and the model is as before it — try a lower --lr\n"),
                run.err());
        assertFalse(Files.exists(out));
        assertArrayEquals(checkpoint, Files.readAllBytes(bundle.resolve("checkpoint.safetensors")));
    }
}
