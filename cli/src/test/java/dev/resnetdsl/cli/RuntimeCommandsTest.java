package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export / run / bench / ensemble on the CIFAR ResNet-20 spec, and their errors. */
class RuntimeCommandsTest {
    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void exportResnet20() {
        model = dir.resolve("r20.onnx");
        var r = RuntimeCli.run(
                "export", RuntimeCli.spec("cifar/resnet20.resnet").toString(), "-o", model.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("wrote " + model + ": ResNet20, 269,722 parameters"), r.out());
    }

    @Test
    void seedsChangeTheWeightsAndTheSameSeedReproducesTheFile() throws IOException {
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        RuntimeCli.run(
                "export", RuntimeCli.spec("cifar/resnet20.resnet").toString(), "-o", a.toString(), "--seed", "5");
        RuntimeCli.run(
                "export", RuntimeCli.spec("cifar/resnet20.resnet").toString(), "-o", b.toString(), "--seed", "5");
        assertTrue(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "same seed, same bytes");
        assertTrue(!Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(model)), "other seed, other weights");
    }

    @Test
    void runReadsInputAndWritesLogits() throws IOException {
        Path in = dir.resolve("in.safetensors");
        Safetensors.write(in, Map.of("input", Tensor.zeros(3, 3, 32, 32)));
        Path out = dir.resolve("out.safetensors");
        var r = RuntimeCli.run("run", model.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("F32[3, 10]", Safetensors.read(out).require("logits").describe());
    }

    @Test
    void runClassifiesTheSampleImages() {
        Path image = RuntimeCli.root().resolve("samples/images/sunset.png");
        var r = RuntimeCli.run("run", model.toString(), "--image", image.toString(), "--top", "3");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r.out());
        assertTrue(lines[1].matches("  1\\. class +\\d+ +\\d+\\.\\d\\d%"), lines[1]);
    }

    @Test
    void ensembleAveragesSoftmaxAndRunsWithOutputProbabilities() throws IOException {
        Path other = dir.resolve("other.onnx");
        RuntimeCli.run(
                "export",
                RuntimeCli.spec("cifar/resnet20.resnet").toString(),
                "-o",
                other.toString(),
                "--seed",
                "9",
                "--fold-bn");
        Path ensemble = dir.resolve("ensemble.onnx");
        var r = RuntimeCli.run("ensemble", model.toString(), other.toString(), "-o", ensemble.toString());
        assertEquals(0, r.status(), r.err());
        Path in = dir.resolve("in.safetensors");
        Safetensors.write(in, Map.of("input", Tensor.zeros(2, 3, 32, 32)));
        Path out = dir.resolve("out.safetensors");
        r = RuntimeCli.run("run", ensemble.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        float[] p = Safetensors.read(out).require("probabilities").floats();
        double rowSum = 0;
        for (int i = 0; i < 10; i++) {
            rowSum += p[i];
        }
        assertEquals(1.0, rowSum, 1e-5);
    }

    @Test
    void ensembleOfMismatchedMembersSaysWhich() {
        Path mnist = dir.resolve("mnist.onnx");
        RuntimeCli.run(
                "export",
                RuntimeCli.spec("mnist/resnet20.resnet").toString(),
                "--import-root",
                RuntimeCli.spec("").toString(),
                "-o",
                mnist.toString());
        var r = RuntimeCli.run(
                "ensemble",
                model.toString(),
                mnist.toString(),
                "-o",
                dir.resolve("e.onnx").toString());
        assertEquals(1, r.status());
        assertEquals(
                "resnet: error: " + mnist + " takes input [N, 1, 28, 28] but " + model
                        + " takes [N, 3, 32, 32]; ensemble members must agree on the input\n",
                r.err());
    }

    @Test
    void benchReportsImagesPerSecondAndTheRatio() {
        var r = RuntimeCli.run(
                "bench", model.toString(), "--vs", model.toString(), "--batch", "2", "--iters", "2", "--warmup", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("images/s"), r.out());
        assertTrue(r.out().contains("ratio r20.onnx / r20.onnx: "), r.out());
    }

    @Test
    void badInputsAreOneLineErrorsWithStatusOne() throws IOException {
        Path corrupt = dir.resolve("corrupt.onnx");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(corrupt, Arrays.copyOf(bytes, bytes.length / 3));
        assertOneLineError(
                RuntimeCli.run("run", corrupt.toString(), "--image", "x.png"),
                corrupt + ": ONNX Runtime cannot load it");

        Path in = dir.resolve("in.safetensors");
        Safetensors.write(in, Map.of("input", Tensor.zeros(1, 3, 28, 28)));
        assertOneLineError(
                RuntimeCli.run(
                        "run",
                        model.toString(),
                        "--input",
                        in.toString(),
                        "--output",
                        dir.resolve("o").toString()),
                "input is F32[1, 3, 28, 28], the model expects [N, 3, 32, 32]");

        Path truncated = dir.resolve("t.safetensors");
        byte[] st = Files.readAllBytes(in);
        Files.write(truncated, Arrays.copyOf(st, st.length - 10));
        assertOneLineError(
                RuntimeCli.run("run", model.toString(), "--input", truncated.toString(), "--output", "o"),
                truncated + ": not a valid safetensors file");

        assertOneLineError(
                RuntimeCli.run("run", model.toString(), "--device", "cuda", "--image", "x.png"),
                "cannot use device cuda:0: ");
        assertOneLineError(
                RuntimeCli.run(
                        "export", RuntimeCli.spec("cifar/resnet20.resnet").toString(), "-o", "x.onnx", "--opset", "12"),
                "opset 12 is not supported; choose 13 to 21");
    }

    @Test
    void weightsOfAnotherArchitectureNameTheTensor() throws IOException {
        Path weights = dir.resolve("w.safetensors");
        Safetensors.write(weights, Map.of("conv1.weight", Tensor.zeros(16, 3, 5, 5)));
        var r = RuntimeCli.run(
                "export",
                RuntimeCli.spec("cifar/resnet20.resnet").toString(),
                "-o",
                dir.resolve("x.onnx").toString(),
                "--weights",
                weights.toString());
        assertOneLineError(r, weights + ": tensor 'conv1.weight' is F32[16, 3, 5, 5], ResNet20 needs F32[16, 3, 3, 3]");
    }

    private static void assertOneLineError(RuntimeCli.Result r, String expectedPrefix) {
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("resnet: error: " + expectedPrefix), r.err());
        assertEquals(1, r.err().split("\n").length, r.err());
    }
}
