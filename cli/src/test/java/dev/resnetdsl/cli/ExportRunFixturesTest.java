package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The specs, exported with the fixtures' weights and run through the CLI, reproduce PyTorch's logits. */
class ExportRunFixturesTest {
    @TempDir
    Path dir;

    @Test
    void resnet18SpecWithWeightsFromTheOnnxFileWithBatchNorm() throws IOException {
        exportRunAndCompare(
                "imagenet/resnet18.resnet",
                RuntimeCli.fixture("torchvision-resnet18/model.onnx"),
                RuntimeCli.fixture("torchvision-resnet18/io.safetensors"));
    }

    @Test
    void resnet18SpecWithWeightsFromTheFusedOnnxFile() throws IOException {
        exportRunAndCompare(
                "imagenet/resnet18.resnet",
                RuntimeCli.fixture("torchvision-resnet18/model-fused.onnx"),
                RuntimeCli.fixture("torchvision-resnet18/io.safetensors"));
    }

    @Test
    void cifarResnet20SpecWithInitialSafetensors() throws IOException {
        exportRunAndCompare(
                "cifar/resnet20.resnet",
                RuntimeCli.fixture("cifar-resnet20-sgd/initial.safetensors"),
                RuntimeCli.fixture("cifar-resnet20-sgd/eval.safetensors"));
    }

    private void exportRunAndCompare(String spec, Path weights, Path io) throws IOException {
        for (boolean fold : new boolean[] {false, true}) {
            Path model = dir.resolve(fold ? "folded.onnx" : "model.onnx");
            Path out = dir.resolve("out.safetensors");
            var export = fold
                    ? RuntimeCli.run(
                            "export",
                            RuntimeCli.spec(spec).toString(),
                            "-o",
                            model.toString(),
                            "--weights",
                            weights.toString(),
                            "--fold-bn")
                    : RuntimeCli.run(
                            "export",
                            RuntimeCli.spec(spec).toString(),
                            "-o",
                            model.toString(),
                            "--weights",
                            weights.toString());
            assertEquals(0, export.status(), export.err());
            var run = RuntimeCli.run("run", model.toString(), "--input", io.toString(), "--output", out.toString());
            assertEquals(0, run.status(), run.err());
            Tensor expected = Safetensors.read(io).require("logits");
            Tensor actual = Safetensors.read(out).require("logits");
            assertEquals(expected.describe(), actual.describe());
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < expected.elements(); i++) {
                scale = Math.max(scale, Math.abs(expected.floats()[i]));
                worst = Math.max(worst, Math.abs(expected.floats()[i] - actual.floats()[i]));
            }
            System.out.printf(
                    "%s with %s%s: max |logit difference| %.3g, %.3g relative to the largest logit%n",
                    spec, weights.getFileName(), fold ? " (BN folded)" : "", worst, worst / scale);
            assertTrue(worst <= 1e-4 * scale, "max difference " + worst + " > 1e-4 × " + scale);
        }
    }
}
