package dev.resnetdsl.training.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resnetdsl.training.data.Cifar10Binary;
import dev.resnetdsl.training.data.MnistIdx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the data-set readers: MNIST IDX (plain or gzipped, images and labels) and
 * CIFAR-10 binary batches. The committed seed corpus
 * ({@code src/test/resources/dev/resnetdsl/training/fuzz/DataReadersFuzzTestInputs/<method>/}) replays in the
 * normal test run; {@code JAZZER_FUZZ=1} fuzzes (docs/security.md). A reader may refuse input only with
 * {@link IOException} or {@link IllegalArgumentException}; anything else is a finding.
 */
class DataReadersFuzzTest {
    private static final Path DIR = tempDir();

    /**
     * The input is a labels file and an images file: the first two bytes (big-endian) say how long the labels file
     * is, so that seeds are plain concatenations.
     */
    @FuzzTest(maxDuration = "30s")
    void mnistIdx(byte[] input) throws IOException {
        int split = input.length < 2 ? 0 : Math.min(input.length - 2, ((input[0] & 0xFF) << 8) | (input[1] & 0xFF));
        int start = Math.min(2, input.length);
        byte[] labels = java.util.Arrays.copyOfRange(input, start, start + split);
        byte[] images = java.util.Arrays.copyOfRange(input, start + split, input.length);
        Path labelsFile = write("labels-idx1-ubyte", labels);
        Path imagesFile = write("images-idx3-ubyte", images);
        try {
            MnistIdx.read(imagesFile, labelsFile, "fuzz");
        } catch (IOException | IllegalArgumentException expected) {
            // refused with a message
        }
    }

    @FuzzTest(maxDuration = "30s")
    void cifarBatch(byte[] input) throws IOException {
        Path file = write("data_batch.bin", input);
        try {
            Cifar10Binary.read(List.of(file), "fuzz");
        } catch (IOException | IllegalArgumentException expected) {
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
