package dev.resnetdsl.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resnetdsl.runtime.testing.JavaProcess;
import dev.resnetdsl.runtime.testing.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("checkpoint.bin");
        AtomicFiles.writeString(target, "good");
        assertThrows(
                IOException.class,
                () -> AtomicFiles.write(target, out -> {
                    out.write("half".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    throw new IOException("No space left on device");
                }));
        assertEquals("good", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "temporary file removed");
        }
    }

    @Test
    void replacementsKeepTheirPermissions() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("model.onnx");
        AtomicFiles.writeString(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(file, "y");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("y", Files.readString(file));
    }

    /** A new file gets what the umask gives any new file — here 077, in a process of its own. */
    @Test
    void newFilesRespectTheUmask() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("private.onnx");
        String java = String.join(
                " ",
                JavaProcess.java(WriteFile.class, List.of(file.toString(), "secret")).stream()
                        .map(a -> "'" + a + "'")
                        .toList());
        JavaProcess.Result r = JavaProcess.run(List.of("sh", "-c", "umask 077 && exec " + java), dir, Map.of(), 60);
        assertEquals(0, r.status(), r.err());
        assertEquals("secret", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
        Path real = dir.resolve("real.resnet");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.resnet"), real.getFileName());
        AtomicFiles.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new", Files.readString(real));
        assertNoTemporaryFiles();
    }

    /** What may sit at an output path, and what a write there must do. Each row fails on the old writer. */
    static Stream<Arguments> hostileTargets() {
        return Stream.of(
                Arguments.of("a FIFO", (Target) d -> Posix.fifo(d.resolve("out.onnx")), "is not a regular file"),
                Arguments.of(
                        "a directory",
                        (Target) d -> Files.createDirectory(d.resolve("out.onnx")),
                        "out.onnx is a directory"),
                Arguments.of(
                        "a link to nothing",
                        (Target) d -> Files.createSymbolicLink(d.resolve("out.onnx"), d.resolve("missing")),
                        "is a symbolic link to a missing file"),
                Arguments.of(
                        "a link to a FIFO",
                        (Target) d -> Files.createSymbolicLink(d.resolve("out.onnx"), Posix.fifo(d.resolve("pipe"))),
                        "is not a regular file"));
    }

    /** Makes the thing at the target path. */
    @FunctionalInterface
    interface Target {
        Path make(Path dir) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTargets")
    void whatTheToolsDidNotCreateIsNeverReplaced(String what, Target make, String message) throws Exception {
        Path target = make.make(dir);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "model bytes"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(Files.exists(target, LinkOption.NOFOLLOW_LINKS), what + " is still there");
        assertFalse(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS), what + " was not replaced by a file");
        assertNoTemporaryFiles();
    }

    /** Temporary files are hidden (their names start with a dot); nothing else here is. */
    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> f.getFileName().toString().startsWith("."))
                            .toList());
        }
    }
}
