package dev.resnetdsl.training.loop;

import dev.resnetdsl.training.data.ImageDataset;
import dev.resnetdsl.training.data.SplitMix64;
import dev.resnetdsl.training.data.TrainTestData;
import java.util.List;

/** Small learnable image sets: each class lights up its own band of rows, plus noise. */
final class SyntheticData {
    private SyntheticData() {}

    static TrainTestData make(int size, int trainCount, int testCount, int classes) {
        return new TrainTestData(
                set(size, trainCount, classes, 1, "synthetic train"),
                set(size, testCount, classes, 2, "synthetic test"));
    }

    private static ImageDataset set(int size, int n, int classes, long seed, String name) {
        SplitMix64 rng = new SplitMix64(seed);
        byte[] pixels = new byte[n * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(classes);
            labels[i] = label;
            for (int y = 0; y < size; y++) {
                boolean lit = y * classes / size == label;
                for (int x = 0; x < size; x++) {
                    int v = (lit ? 150 : 40) + rng.nextInt(80);
                    pixels[i * size * size + y * size + x] = (byte) v;
                }
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("c" + k);
        }
        return new ImageDataset(name, 1, size, size, pixels, labels, names);
    }
}
