package dev.resnetdsl.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.preprocess.ImageFiles;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.weights.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the runtime's readers of untrusted files: safetensors, foreign ONNX models
 * whose weights are imported, and images. The committed seed corpus
 * ({@code src/test/resources/dev/resnetdsl/runtime/fuzz/RuntimeReadersFuzzTestInputs/<method>/}) replays in the
 * normal test run; {@code JAZZER_FUZZ=1} fuzzes (docs/security.md). A reader may refuse input only with
 * {@link IOException} or {@link IllegalArgumentException} — the exceptions its callers turn into one-line user
 * errors; anything else (an index out of bounds, a negative array size, an out-of-memory error) is a finding.
 */
class RuntimeReadersFuzzTest {
    private static final Path DIR = tempDir();
    private static final Network NETWORK = TinyNets.tiny();

    @FuzzTest(maxDuration = "30s")
    void safetensors(byte[] input) throws IOException {
        Path file = write("fuzz.safetensors", input);
        try {
            Safetensors.read(file);
        } catch (IOException | IllegalArgumentException expected) {
            // refused with a message: what a hostile file should get
        }
    }

    @FuzzTest(maxDuration = "30s")
    void onnxWeights(byte[] input) throws IOException {
        Path file = write("fuzz.onnx", input);
        try {
            Weights.load(NETWORK, file);
        } catch (IOException | IllegalArgumentException expected) {
            // refused with a message
        }
    }

    @FuzzTest(maxDuration = "30s")
    void image(byte[] input) {
        try {
            ImageFiles.decode(input, "fuzz");
        } catch (IOException expected) {
            // refused with a message
        }
    }

    private static Path write(String name, byte[] content) throws IOException {
        Path file = DIR.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("resnet-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
