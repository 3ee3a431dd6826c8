package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.onnx.GraphBuilder;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.HostilePng;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Command lines as a careless first-time user or an attacker types them. Each row runs {@code resnet} in-process
 * and names the exit status, a piece of standard error it must hold, and pieces it must not (a doubled word, a
 * temporary file's name, a stack trace, a secret). Every row ends with status 0 or 1, never 2 (internal error).
 */
class HostileArgumentsTest {
    @TempDir
    static Path dir;

    static Path tinySpec;
    static Path tinyModel;
    static Path nanModel;
    static Path image;
    static Path hugePng;

    private static final String TINY = "model Tiny {\n  input 1x8x8\n  classes 3\n  stem { conv 3x3 4 }\n"
            + "  block basic\n  shortcut A\n  stage s 4 x1\n}\n";

    @BeforeAll
    static void files() throws IOException {
        tinySpec = Files.writeString(dir.resolve("tiny.resnet"), TINY);
        tinyModel = dir.resolve("tiny.onnx");
        CliRun made = CliRun.of("export", tinySpec.toString(), "-o", tinyModel.toString());
        assertEquals(0, made.status(), made.err());
        nanModel = Files.write(dir.resolve("nan.onnx"), nanModel().toByteArray());
        image = dir.resolve("grey.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", image.toFile());
        hugePng = Files.write(dir.resolve("huge.png"), HostilePng.claiming(40_000, 40_000));
        Files.writeString(dir.resolve("empty.resnet"), "");
        Files.writeString(dir.resolve("environ.resnet"), "import \"/proc/self/environ\"\n" + TINY);
        Files.writeString(dir.resolve("two-labels.txt"), "cat\ndog\n");
        Files.createDirectories(dir.resolve("a-folder.onnx"));
        try (java.io.RandomAccessFile f =
                new java.io.RandomAccessFile(dir.resolve("sparse.resnet").toFile(), "rw")) {
            f.setLength(3L << 30); // 3 GB of nothing on disk
        }
    }

    /** A classifier whose logits are NaN whatever the input: {@code Flatten(input) · W} with W all NaN. */
    private static dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto nanModel() {
        GraphBuilder g = new GraphBuilder("nan");
        String x = g.input("input", DType.F32, "N", 1, 8, 8);
        float[] w = new float[64 * 3];
        Arrays.fill(w, Float.NaN);
        String weight = g.initializer("w", Tensor.ofFloats(new int[] {64, 3}, w));
        String flat = g.node("Flatten", x).attr("axis", 1L).output("flat");
        g.node("MatMul", flat, weight).outputs("logits");
        g.output("logits", DType.F32, "N", 3);
        return g.model(17);
    }

    record Row(String name, Function<Path, String[]> args, int status, String errHolds, List<String> errLacks) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, int status, String errHolds, String... args) {
        return new Row(name, d -> args, status, errHolds, List.of());
    }

    static Stream<Arguments> rows() {
        String secretish = System.getenv().getOrDefault("HOME", "/root") + ":";
        return Stream.of(
                        new Row(
                                "resnet alone",
                                d -> new String[0],
                                1,
                                "(see: resnet --help)",
                                List.of("resnet resnet")),
                        new Row(
                                "an unknown option",
                                d -> new String[] {"--frobnicate"},
                                1,
                                "(see: resnet --help)",
                                List.of("resnet resnet")),
                        new Row(
                                "run without --image or --input",
                                d -> new String[] {"run", tinyModel.toString()},
                                1,
                                "resnet: error: Missing required argument",
                                List.of("Error:")),
                        new Row(
                                "export -o naming a folder",
                                d -> new String[] {
                                    "export",
                                    tinySpec.toString(),
                                    "-o",
                                    d.resolve("a-folder.onnx").toString()
                                },
                                1,
                                "a-folder.onnx is a directory; name the file to write",
                                List.of(".tmp")),
                        row(
                                "train --accumulate 0",
                                1,
                                "--accumulate must be ≥ 1, not 0",
                                "train",
                                "no-bundle",
                                "--data",
                                "mnist:nowhere",
                                "--epochs",
                                "1",
                                "--accumulate",
                                "0"),
                        row(
                                "train --accumulate past an int",
                                1,
                                "--accumulate",
                                "train",
                                "no-bundle",
                                "--data",
                                "mnist:nowhere",
                                "--epochs",
                                "1",
                                "--accumulate",
                                "99999999999"),
                        new Row(
                                "check of an empty file",
                                d -> new String[] {
                                    "check", d.resolve("empty.resnet").toString()
                                },
                                1,
                                "1:1: error: the file declares no model",
                                List.of()),
                        new Row(
                                "check of a spec importing the environment",
                                d -> new String[] {
                                    "check", d.resolve("environ.resnet").toString()
                                },
                                1,
                                "only .resnet files can be imported",
                                List.of("PATH=", secretish)),
                        new Row(
                                "check of /dev/zero",
                                d -> new String[] {"check", "/dev/zero"},
                                1,
                                "is larger than 1 MiB",
                                List.of()),
                        new Row(
                                "fmt of a sparse 3 GB spec",
                                d -> new String[] {
                                    "fmt", d.resolve("sparse.resnet").toString()
                                },
                                1,
                                "sparse.resnet is larger than 1 MiB",
                                List.of()),
                        new Row(
                                "run of a model with NaN logits",
                                d -> new String[] {"run", nanModel.toString(), "--image", image.toString()},
                                1,
                                "the model's output is not finite",
                                List.of("NaN%")),
                        new Row(
                                "--labels naming fewer classes than the model has",
                                d -> new String[] {
                                    "run",
                                    tinyModel.toString(),
                                    "--image",
                                    image.toString(),
                                    "--labels",
                                    d.resolve("two-labels.txt").toString()
                                },
                                1,
                                "two-labels.txt names 2 classes but the model has 3 outputs",
                                List.of()),
                        new Row(
                                "a small PNG claiming 40000x40000 pixels",
                                d -> new String[] {"run", tinyModel.toString(), "--image", hugePng.toString()},
                                1,
                                "huge.png: image is 40000x40000 pixels; at most 50 megapixels are decoded",
                                List.of("OutOfMemoryError")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void hostileCommandLineIsAOneLineUserError(Row row) {
        CliRun run = CliRun.of(row.args().apply(dir));
        assertEquals(row.status(), run.status(), run.err());
        assertTrue(run.err().contains(row.errHolds()), () -> "expected '" + row.errHolds() + "' in:\n" + run.err());
        for (String lack : row.errLacks()) {
            assertFalse(run.err().contains(lack), () -> "'" + lack + "' in:\n" + run.err());
        }
        List<String> traces = new ArrayList<>(
                run.err().lines().filter(l -> l.startsWith("\tat ")).toList());
        assertEquals(List.of(), traces, "no stack trace");
        assertFalse(run.err().contains("internal error"), run.err());
    }
}
