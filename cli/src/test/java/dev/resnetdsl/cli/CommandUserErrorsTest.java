package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.BrokenModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs that ended as "internal error" (exit 2) — bad manifests, a graph in the wrong place, absurd sizes, models
 * that disagree with themselves — are user errors: exit 1, one line, "resnet: error: …".
 */
class CommandUserErrorsTest {
    private static final String SPEC = "model Err {\n  input 3x8x8\n  classes 4\n  stem {\n    conv 3x3 4\n  }\n"
            + "  block basic\n  shortcut A\n  stage conv2_x 4 x1\n}\n";

    @TempDir
    Path dir;

    Path spec;
    Path model;
    Path bundle;

    @BeforeEach
    void makeAModelAndABundle() throws Exception {
        spec = Files.writeString(dir.resolve("err.resnet"), SPEC);
        model = dir.resolve("model.onnx");
        assertEquals(
                0, CliRun.of("export", spec.toString(), "-o", model.toString()).status());
        bundle = dir.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", spec.toString(), "-o", bundle.toString())
                        .status());
    }

    /** Prepares the files and returns the command line. */
    @FunctionalInterface
    interface Case {
        String[] args(CommandUserErrorsTest t) throws Exception;
    }

    static Arguments row(String what, Case c, String message) {
        return Arguments.of(what, c, message);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row(
                        "bench with a batch of two billion",
                        t -> new String[] {"bench", t.model.toString(), "--batch", "2000000000"},
                        "--batch must be at most 65536, got 2000000000"),
                row(
                        "a manifest with lr -1",
                        t -> t.editManifest("\"learningRate\": 0.1", "\"learningRate\": -1"),
                        "learning rate must be a positive number, got -1.0"),
                row(
                        "a manifest with lr NaN",
                        t -> t.editManifest("\"learningRate\": 0.1", "\"learningRate\": NaN"),
                        "not a valid training-bundle manifest"),
                row(
                        "a manifest with lr 1e400",
                        t -> t.editManifest("\"learningRate\": 0.1", "\"learningRate\": 1e400"),
                        "learning rate must be a positive number, got Infinity"),
                row(
                        "a manifest with a negative input size (bench-train)",
                        t -> {
                            t.editManifest("\"inputShape\": [\n    3,", "\"inputShape\": [\n    -3,");
                            return new String[] {"bench-train", t.bundle.toString(), "--batch", "2", "--steps", "1"};
                        },
                        "input shape [-3, 8, 8] is out of range"),
                row(
                        "eval.onnx where the step graph is expected",
                        t -> {
                            Files.copy(
                                    t.bundle.resolve("eval.onnx"),
                                    t.bundle.resolve("train_step.onnx"),
                                    StandardCopyOption.REPLACE_EXISTING);
                            return t.step();
                        },
                        "expected the bundle's train_step graph, found the eval graph"),
                row(
                        "a bundle graph given to run",
                        t -> new String[] {
                            "run",
                            t.bundle.resolve("eval.onnx").toString(),
                            "--image",
                            CliRun.rooted("samples/images/sunset.png")
                        },
                        "the model takes 4 inputs"),
                row(
                        "a model whose fc bias disagrees with its logits",
                        t -> {
                            Path broken = t.dir.resolve("broken.onnx");
                            OnnxFiles.write(BrokenModels.fcBiasOfLength(3), broken, -1);
                            return new String[] {"bench", broken.toString(), "--iters", "1", "--warmup", "0"};
                        },
                        "the model failed in ONNX Runtime: "),
                row(
                        "an ensemble ONNX Runtime cannot load",
                        t -> {
                            Path a = t.dir.resolve("a.onnx");
                            Path broken = t.dir.resolve("broken.onnx");
                            OnnxFiles.write(BrokenModels.tiny(), a, -1);
                            OnnxFiles.write(BrokenModels.fcWithClasses(7), broken, -1);
                            return new String[] {
                                "ensemble",
                                a.toString(),
                                broken.toString(),
                                "-o",
                                t.dir.resolve("ens.onnx").toString()
                            };
                        },
                        "ONNX Runtime cannot use the ensemble, so it was not kept"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isAOneLineUserError(String what, Case c, String message) throws Exception {
        CliRun r = CliRun.of(c.args(this));
        assertEquals(1, r.status(), what + ": " + r.err());
        assertTrue(r.err().startsWith("resnet: error: "), r.err());
        assertTrue(r.err().contains(message), what + ": " + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("ens.onnx")), "no ensemble file is left behind");
    }

    String[] editManifest(String from, String to) throws Exception {
        Path manifest = bundle.resolve("manifest.json");
        String text = Files.readString(manifest);
        assertTrue(text.contains(from), "the manifest holds " + from);
        Files.writeString(manifest, text.replace(from, to));
        return step();
    }

    String[] step() throws Exception {
        Path batch = dir.resolve("batch.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("input", Tensor.zeros(2, 3, 8, 8));
        tensors.put("labels", Tensor.ofLongs(new int[] {2}, new long[] {0, 1}));
        Safetensors.write(batch, tensors);
        return new String[] {
            "step",
            bundle.toString(),
            "--batch",
            batch.toString(),
            "--out",
            dir.resolve("out.safetensors").toString()
        };
    }
}
