package dev.resnetdsl.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the real MNIST files from the shared data folder (../shared/data/mnist). */
class SharedMnistTest {
    /** The shared MNIST folder; fails in CI when missing, skips loudly elsewhere. */
    static Path mnistDir() {
        String shared = System.getProperty("resnet.shared");
        Path base = shared != null && !shared.isBlank() && !shared.contains("${")
                ? Path.of(shared)
                : Path.of(System.getProperty("resnet.root", "."), "..", "shared");
        Path dir = base.resolve("data").resolve("mnist");
        if (!Files.isDirectory(dir)) {
            String message = "shared MNIST data not found at "
                    + dir.toAbsolutePath().normalize() + " (set -Dresnet.shared=PATH)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
        return dir;
    }

    @Test
    void readsTheFullDataSet() throws IOException {
        TrainTestData data = MnistIdx.readFolder(mnistDir());
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals("1x28x28", data.train().shapeText());
        int[] counts = new int[10];
        for (int label : data.train().labels()) {
            counts[label]++;
        }
        for (int c : counts) {
            assertTrue(c > 5000 && c < 7000, "every digit is common: " + java.util.Arrays.toString(counts));
        }
        // The well-known first training labels of MNIST: 5, 0, 4, 1, 9, 2.
        assertEquals(5, data.train().labels()[0]);
        assertEquals(0, data.train().labels()[1]);
        assertEquals(4, data.train().labels()[2]);
        assertEquals(7, data.test().labels()[0]);
    }
}
