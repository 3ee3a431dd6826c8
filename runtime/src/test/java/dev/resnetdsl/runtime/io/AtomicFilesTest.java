package dev.resnetdsl.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void newFilesAreWorldReadableAndReplacementsKeepTheirPermissions() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path fresh = dir.resolve("model.onnx");
        AtomicFiles.writeString(fresh, "x");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(fresh, "y");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        assertEquals("y", Files.readString(fresh));
    }
}
