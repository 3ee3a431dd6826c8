package dev.resnetdsl.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temporary files of interrupted writes: recognisable by name, removable by the directory's owner. */
class AtomicTemporaryFilesTest {
    @TempDir
    Path dir;

    @Test
    void temporaryFilesAreRecognisableAndRemovable() throws IOException {
        Path leftover = dir.resolve(".checkpoint.safetensors.0123456789abcdef" + AtomicFiles.TEMPORARY_SUFFIX);
        Files.writeString(leftover, "half a checkpoint");
        Path user = Files.writeString(dir.resolve("notes.tmp"), "mine");
        Path lookalikeDir = Files.createDirectory(dir.resolve(".x.0123456789abcdef" + AtomicFiles.TEMPORARY_SUFFIX));
        assertTrue(AtomicFiles.isTemporary(leftover));
        assertFalse(AtomicFiles.isTemporary(user));
        assertEquals(List.of(leftover.getFileName().toString()), AtomicFiles.removeTemporaries(dir));
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(user) && Files.isDirectory(lookalikeDir), "only temporary files are removed");

        // what a write in progress looks like to another process
        AtomicFiles.write(dir.resolve("m.onnx"), out -> {
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(
                        1,
                        files.filter(f -> AtomicFiles.isTemporary(f) && Files.isRegularFile(f))
                                .count());
            }
            out.write("x".getBytes(StandardCharsets.UTF_8));
        });
    }
}
