package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quantize, export --int8, and the commands that take models (summary, run, bench) on an int8 model. */
class QuantizeCommandTest {
    /** A small model trained by the project's trainer, with its preprocessing (see api's test resources). */
    private static final String TRAINED = CliRun.rooted("api/src/test/resources/quantize/mnist-resnet8.onnx");

    private static final String SUBSET = "mnist:" + CliRun.rooted("samples/mnist-subset");

    @TempDir
    Path dir;

    @Test
    void quantizesATrainedModelThatAgreesWithItsFloatSelfAndRunsEverywhere() throws Exception {
        Path out = dir.resolve("int8.onnx");
        CliRun r = CliRun.of(
                "quantize",
                TRAINED,
                "-o",
                out.toString(),
                "--calibrate",
                SUBSET,
                "--images",
                "128",
                "--compare",
                "500");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "the model records its preprocessing: nothing to guess");
        assertTrue(
                r.out().contains("int8: 7 of 7 convolutions, 0 of 1 fully connected, 3 of 3 residual adds"), r.out());
        assertTrue(r.out().contains("float: fc (Gemm)"), r.out());
        assertTrue(r.out().contains("calibration minmax over 128 images (seed 0)"), r.out());
        Matcher m = Pattern.compile("top-1 agreement ([\\d.]+)% \\(\\d+/500\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) >= 99.0, r.out());

        CliRun summary = CliRun.of("summary", out.toString());
        assertEquals(0, summary.status(), summary.err());
        assertTrue(summary.out().matches("(?s).*\\nlayer2\\.0\\.conv2 +Conv +int8 +451,584\\n.*"), summary.out());
        assertTrue(summary.out().matches("(?s).*\\nfc +Gemm +float +320\\n.*"), summary.out());

        Path in = dir.resolve("in.safetensors");
        Safetensors.write(in, Map.of("input", Tensor.zeros(2, 1, 28, 28)));
        CliRun run = CliRun.of(
                "run",
                out.toString(),
                "--input",
                in.toString(),
                "--output",
                dir.resolve("y").toString());
        assertEquals(0, run.status(), run.err());
        assertEquals(
                "F32[2, 10]",
                Safetensors.read(dir.resolve("y")).require("logits").describe());
        CliRun image =
                CliRun.of("run", out.toString(), "--image", CliRun.rooted("samples/images/sunset.png"), "--top", "1");
        assertEquals(0, image.status(), image.err());
        assertTrue(image.out().contains("1. class"), image.out());

        CliRun bench =
                CliRun.of("bench", out.toString(), "--vs", TRAINED, "--batch", "2", "--iters", "2", "--warmup", "0");
        assertEquals(0, bench.status(), bench.err());
        assertTrue(bench.out().matches("(?s).*int8\\.onnx +int8 +[\\d.]+ images/s.*"), bench.out());
        assertTrue(bench.out().contains("ratio int8.onnx / mnist-resnet8.onnx: "), bench.out());

        CliRun again = CliRun.of(
                "quantize", out.toString(), "-o", dir.resolve("twice.onnx").toString(), "--calibrate", SUBSET);
        assertEquals(1, again.status());
        assertTrue(again.err().startsWith("resnet: error: the model is already quantized"), again.err());
        assertFalse(Files.exists(dir.resolve("twice.onnx")));
    }

    @Test
    void aFolderOfImagesCalibratesAndTheRestAreHeldOut() {
        Path fp32 = dir.resolve("r20.onnx");
        assertEquals(
                0,
                CliRun.of("export", CliRun.rooted("specs/cifar/resnet20.resnet"), "-o", fp32.toString())
                        .status());
        Path out = dir.resolve("r20-int8.onnx");
        CliRun r = CliRun.of(
                "quantize",
                fp32.toString(),
                "-o",
                out.toString(),
                "--calibrate",
                CliRun.rooted("samples/images"),
                "--images",
                "1",
                "--compare",
                "5",
                "--method",
                "percentile",
                "--keep-float",
                "first-conv,classifier");
        assertEquals(0, r.status(), r.err());
        assertTrue(
                r.err().contains("records no preprocessing; calibrating with"), "the guess is announced: " + r.err());
        assertTrue(r.out().contains("calibration percentile 99.999% over 1 images (seed 0)"), r.out());
        assertTrue(r.out().contains("float: conv1 (Conv), fc (Gemm)"), r.out());
        assertTrue(r.out().contains("held-out images: top-1 agreement"), r.out());
        assertTrue(
                r.out().contains("(1/1)") || r.out().contains("(0/1)"), "one image is left for comparing: " + r.out());
        assertFalse(r.out().contains("accuracy"), "unlabelled images have no accuracy: " + r.out());
    }

    @Test
    void exportWritesAnInt8ModelStraightFromASpec() {
        Path out = dir.resolve("spec-int8.onnx");
        CliRun r = CliRun.of(
                "export",
                CliRun.rooted("api/src/test/resources/quantize/mnist-resnet8.resnet"),
                "-o",
                out.toString(),
                "--int8",
                "--calibrate",
                SUBSET,
                "--images",
                "32",
                "--method",
                "entropy");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": int8 ONNX model of MnistResNet8"), r.out());
        assertTrue(Files.exists(out));
        CliRun summary = CliRun.of("summary", out.toString());
        assertTrue(summary.out().contains("calibration entropy over 32 images"), summary.out());
    }

    @Test
    void mistakesAreOneLineErrors() throws Exception {
        String spec = CliRun.rooted("api/src/test/resources/quantize/mnist-resnet8.resnet");
        String out = dir.resolve("x.onnx").toString();
        assertError(
                "resnet: error: quantize needs calibration images: pass --calibrate KIND:PATH or a folder of images",
                "quantize",
                TRAINED,
                "-o",
                out);
        assertError(
                "resnet: error: --calibrate nosuch:thing: not a folder of images, nor KIND:PATH with KIND one of mnist,"
                        + " fashion-mnist, cifar10, folder",
                "quantize",
                TRAINED,
                "-o",
                out,
                "--calibrate",
                "nosuch:thing");
        assertError(
                "resnet: error: unknown calibration method 'median' (choose minmax, percentile or entropy)",
                "quantize",
                TRAINED,
                "-o",
                out,
                "--calibrate",
                SUBSET,
                "--method",
                "median");
        assertError(
                "resnet: error: unknown activation type 'int4' (choose uint8 or int8)",
                "quantize",
                TRAINED,
                "-o",
                out,
                "--calibrate",
                SUBSET,
                "--activations",
                "int4");
        assertError(
                "resnet: error: --images must be at least 1",
                "quantize",
                TRAINED,
                "-o",
                out,
                "--calibrate",
                SUBSET,
                "--images",
                "0");
        assertError(
                "resnet: error: " + dir.resolve("none.onnx") + ": no such file",
                "quantize",
                dir.resolve("none.onnx").toString(),
                "-o",
                out,
                "--calibrate",
                SUBSET);
        assertError(
                "resnet: error: --calibrate is for int8 models: add --int8",
                "export",
                spec,
                "-o",
                out,
                "--calibrate",
                SUBSET);
        assertError(
                "resnet: error: --int8 needs calibration images: pass --calibrate KIND:PATH or a folder of images",
                "export",
                spec,
                "-o",
                out,
                "--int8");
        assertFalse(Files.exists(Path.of(out)), "nothing is written on an error");

        Path fp32 = dir.resolve("float.onnx");
        Files.copy(Path.of(TRAINED), fp32);
        byte[] before = Files.readAllBytes(fp32);
        assertError(
                "resnet: error: " + fp32 + " is also an input of this job (" + fp32
                        + "); writing the output there would destroy it — choose another output file",
                "quantize",
                fp32.toString(),
                "-o",
                fp32.toString(),
                "--calibrate",
                SUBSET);
        assertArrayEquals(before, Files.readAllBytes(fp32), "the float model is left as it was");
    }

    private static void assertError(String firstLine, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals(firstLine, r.err().lines().findFirst().orElse(""), r.err());
    }
}
