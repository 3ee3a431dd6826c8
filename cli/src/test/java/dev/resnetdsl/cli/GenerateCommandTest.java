package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    static final String TINY =
            """
            model TinyNet {
              # ends a javadoc */ here, and mentions @Deprecated
              input 3x32x32
              classes 10
              stem {
                conv 3x3 16
              }
              block basic
              shortcut A
              stage conv2_x 16 x1
              stage conv3_x 32 x1 /2
            }
            """;

    @TempDir
    Path dir;

    static CliRun resnet(String... args) {
        return CliRun.of(args);
    }

    @Test
    void generatesOneClassPerModelAndTwoRunsGiveTheSameBytes() throws IOException {
        Path spec = Files.writeString(dir.resolve("tiny.resnet"), TINY);
        Path cifar = CliRun.root().resolve("specs/cifar/resnet20.resnet");
        CliRun first = resnet(
                "generate",
                spec.toString(),
                cifar.toString(),
                "-o",
                dir.resolve("a").toString(),
                "--package",
                "com.example");
        assertEquals(0, first.status(), first.err());
        Path tiny = dir.resolve("a/com/example/TinyNet.java");
        Path resnet20 = dir.resolve("a/com/example/ResNet20.java");
        assertTrue(Files.isRegularFile(tiny), first.out());
        assertTrue(Files.isRegularFile(resnet20), first.out());
        assertTrue(first.out().contains("wrote " + tiny), first.out());
        String source = Files.readString(tiny);
        assertTrue(source.contains(" *   # ends a javadoc *&#47; here, and mentions &#64;Deprecated"), source);
        // conv1 + bn1 464, one basic block of 16 4,672, one of 32 (16 -> 32, option A) 13,952, fc 330.
        assertTrue(source.contains("public static final long PARAMETERS = 19_418L;"), source);

        CliRun second = resnet(
                "generate",
                spec.toString(),
                cifar.toString(),
                "-o",
                dir.resolve("b").toString(),
                "--package",
                "com.example");
        assertEquals(0, second.status(), second.err());
        assertArrayEquals(Files.readAllBytes(tiny), Files.readAllBytes(dir.resolve("b/com/example/TinyNet.java")));
        assertArrayEquals(Files.readAllBytes(resnet20), Files.readAllBytes(dir.resolve("b/com/example/ResNet20.java")));
        assertNoTempFiles(dir);
    }

    @Test
    void defaultPackage() throws IOException {
        Path spec = Files.writeString(dir.resolve("tiny.resnet"), TINY);
        CliRun run =
                resnet("generate", spec.toString(), "-o", dir.resolve("out").toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/resnet/models/TinyNet.java")));
    }

    @Test
    void specErrorsArePrintedWithPositionLineAndCaretAndNothingIsWritten() throws IOException {
        Path good = Files.writeString(dir.resolve("good.resnet"), TINY);
        Path bad = Files.writeString(dir.resolve("bad.resnet"), TINY.replace("/2", "/3"));
        CliRun run = resnet(
                "generate",
                good.toString(),
                bad.toString(),
                "-o",
                dir.resolve("out").toString());
        assertEquals(1, run.status());
        String[] lines = run.err().split("\n");
        assertEquals(bad + ":11:23: error: stride must be 1 or 2, found 3", lines[0], run.err());
        assertEquals("  stage conv3_x 32 x1 /3", lines[1]);
        assertEquals("                      ^", lines[2]);
        assertEquals("resnet: error: 1 error in spec files; nothing generated", lines[lines.length - 1]);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written when any file has an error");
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void modelNamesThatAreNotJavaClassNamesArePositionedErrors() throws IOException {
        for (String name : new String[] {"class", "3Net"}) {
            Path bad = Files.writeString(dir.resolve("bad.resnet"), TINY.replace("model TinyNet", "model " + name));
            CliRun run =
                    resnet("generate", bad.toString(), "-o", dir.resolve("out").toString());
            assertEquals(1, run.status(), name);
            assertTrue(run.err().startsWith(bad + ":1:"), name + ": " + run.err());
            assertTrue(run.err().split("\n")[0].contains(": error: "), run.err());
            assertFalse(Files.exists(dir.resolve("out")));
        }
    }

    @Test
    void invalidPackageIsAOneLineError() throws IOException {
        Path spec = Files.writeString(dir.resolve("tiny.resnet"), TINY);
        CliRun run = resnet("generate", spec.toString(), "-o", dir.toString(), "--package", "com.example.int");
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("resnet: error: package name 'com.example.int' is not a valid"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void missingFileIsAOneLineError() {
        CliRun run = resnet("generate", dir.resolve("nope.resnet").toString(), "-o", dir.toString());
        assertEquals(1, run.status());
        assertEquals(
                "resnet: error: " + dir.resolve("nope.resnet") + ": no such file",
                run.err().strip());
    }

    @Test
    void missingOutputOptionIsAUsageError() throws IOException {
        Path spec = Files.writeString(dir.resolve("tiny.resnet"), TINY);
        CliRun run = resnet("generate", spec.toString());
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("resnet: error: Missing required option: '--output=DIR'"), run.err());
    }

    private static void assertNoTempFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            assertTrue(walk.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp files left behind");
        }
    }
}
