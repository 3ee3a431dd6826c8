package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.JavaProcess;
import dev.resnetdsl.runtime.testing.Posix;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where commands write: never over an input, never over what they did not create, through links, with the umask. */
class CommandOutputsTest {
    private static final String SPEC = "model Out {\n  input 1x8x8\n  classes 3\n  stem {\n    conv 3x3 4\n  }\n"
            + "  block basic\n  shortcut A\n  stage conv2_x 4 x1\n}\n";

    @TempDir
    Path dir;

    Path spec;
    Path model;

    @BeforeEach
    void exportAModel() throws Exception {
        spec = Files.writeString(dir.resolve("out.resnet"), SPEC);
        model = dir.resolve("model.onnx");
        CliRun r = CliRun.of("export", spec.toString(), "-o", model.toString());
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void runRefusesToWriteItsOutputOverTheModelItReads() throws Exception {
        Path input = dir.resolve("in.safetensors");
        Safetensors.write(input, Map.of("input", Tensor.zeros(2, 1, 8, 8)));
        byte[] before = Files.readAllBytes(model);
        Path hardLink = Files.createLink(dir.resolve("same.onnx"), model);
        for (Path output : List.of(model, hardLink, input)) {
            CliRun r = CliRun.of("run", model.toString(), "--input", input.toString(), "--output", output.toString());
            assertEquals(1, r.status(), r.err());
            assertTrue(r.err().startsWith("resnet: error: " + output + " is also an input of this job"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
        assertArrayEquals(before, Files.readAllBytes(model));
        CliRun ok = CliRun.of(
                "run",
                model.toString(),
                "--input",
                input.toString(),
                "--output",
                dir.resolve("out.st").toString());
        assertEquals(0, ok.status(), ok.err());
    }

    @Test
    void exportRefusesToReplaceAFifoAndLeavesIt() throws Exception {
        Path fifo = Posix.fifo(dir.resolve("pipe.onnx"));
        CliRun r = CliRun.of("export", spec.toString(), "-o", fifo.toString());
        assertEquals(1, r.status(), r.err());
        assertEquals(
                "resnet: error: " + fifo + " is not a regular file (a device, FIFO or socket); refusing to replace"
                        + " it\n",
                r.err());
        assertTrue(
                Files.exists(fifo) && !Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "the FIFO is still there");
        assertEquals(List.of(), hiddenFiles());
    }

    @Test
    void fmtWritesThroughASymbolicLink() throws Exception {
        Path real = Files.writeString(dir.resolve("real.resnet"), SPEC.replace("  classes 3", "      classes 3"));
        Path link = Files.createSymbolicLink(dir.resolve("link.resnet"), real.getFileName());
        CliRun r = CliRun.of("fmt", "-w", link.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(SPEC, Files.readString(real), "the file the link points to is formatted");
        assertEquals(0, CliRun.of("fmt", "--check", real.toString()).status());
    }

    @Test
    void newFilesGetThePermissionsTheUmaskAllows() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path out = dir.resolve("private.onnx");
        String java =
                JavaProcess.java(ResNetCli.class, List.of("export", spec.toString(), "-o", out.toString())).stream()
                        .map(a -> "'" + a + "'")
                        .collect(Collectors.joining(" "));
        JavaProcess.Result r = JavaProcess.run(List.of("sh", "-c", "umask 077 && exec " + java), dir, Map.of(), 120);
        assertEquals(0, r.status(), r.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    private List<String> hiddenFiles() throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("."))
                    .toList();
        }
    }
}
