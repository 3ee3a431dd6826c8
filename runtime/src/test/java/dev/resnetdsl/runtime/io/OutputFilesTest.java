package dev.resnetdsl.runtime.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path dir;

    @Test
    void anOutputThatIsAnInputIsRefusedHoweverItIsSpelled() throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "m");
        Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link.onnx"), model.getFileName());
        Path hard = Files.createLink(dir.resolve("hard.onnx"), model);
        for (Path output : List.of(model, dir.resolve("sub/../model.onnx"), link, hard)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> OutputFiles.requireNotAnInput(output, List.of(model)));
            assertTrue(e.getMessage().contains("is also an input"), e.getMessage());
        }
    }

    @Test
    void otherFilesAndNewFilesAreFine() throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "m");
        Path other = Files.writeString(dir.resolve("out.safetensors"), "o");
        assertDoesNotThrow(() -> OutputFiles.requireNotAnInput(other, List.of(model)));
        assertDoesNotThrow(() -> OutputFiles.requireNotAnInput(dir.resolve("new.onnx"), List.of(model)));
        assertDoesNotThrow(() -> OutputFiles.requireNotAnInput(other, java.util.Arrays.asList(model, null)));
    }
}
