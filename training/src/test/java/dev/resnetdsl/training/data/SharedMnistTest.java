package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.testing.Fixtures;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reads the real MNIST files from the shared data folder (../shared/data/mnist). */
class SharedMnistTest {
    @Test
    void readsTheFullDataSet() throws IOException {
        TrainTestData data = MnistIdx.readFolder(Fixtures.requireShared("data/mnist"));
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
