package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.preprocess.Normalization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchMakerTest {
    private static ImageDataset data(int n) {
        byte[] pixels = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 4; p++) {
                pixels[i * 4 + p] = (byte) (i * 10 + p * 50);
            }
        }
        return new ImageDataset("d", 1, 2, 2, pixels, labels, List.of("a", "b", "c"));
    }

    @Test
    void normalisationRemovesThePerPixelMean() {
        ImageDataset d = data(20);
        Normalization n = PixelStatistics.perPixelMean(d, false);
        float[] sum = new float[4];
        float[] out = new float[4];
        for (int i = 0; i < d.size(); i++) {
            n.apply(d.pixels(), i * 4, 1, 4, out, 0);
            for (int p = 0; p < 4; p++) {
                sum[p] += out[p];
            }
        }
        for (float s : sum) {
            assertEquals(0, s, 1e-4);
        }
        assertEquals(1f, n.scale());
        Normalization unit = PixelStatistics.perPixelMean(d, true);
        double sq = 0;
        for (int i = 0; i < d.size(); i++) {
            unit.apply(d.pixels(), i * 4, 1, 4, out, 0);
            for (float v : out) {
                sq += v * v;
            }
        }
        assertEquals(1.0, sq / (d.size() * 4), 1e-4);
    }

    @Test
    void trainingBatchesFollowThePermutationAndDropTheRemainder() {
        ImageDataset d = data(10);
        EpochOrder order = new EpochOrder(11, 10);
        BatchMaker maker = new BatchMaker(d, PixelStatistics.perPixelMean(d, false), Augmentation.NONE, order, 4);
        assertEquals(2, maker.batchesPerEpoch());
        int[] perm = maker.permutation(1);
        Batch b = maker.make(1, perm, 1);
        assertArrayEquals(new int[] {4, 1, 2, 2}, b.input().shape());
        for (int i = 0; i < 4; i++) {
            assertEquals(d.labels()[perm[4 + i]], b.labels().longs()[i]);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> maker.make(1, perm, 2));
    }

    @Test
    void aSubsetMakesBatchesOfItsOwnImagesAndSurvivesSerialization() throws Exception {
        ImageDataset d = data(12);
        Normalization n = PixelStatistics.perPixelMean(d, false);
        BatchMaker maker = new BatchMaker(d, n, new PadCropFlip(1, true), new EpochOrder(3, 12), 4);
        int[] mine = {1, 3, 5, 7, 9, 11};
        BatchMaker part = maker.subset(mine, 42, 2);
        assertEquals(6, part.data().size());
        assertEquals(3, part.batchesPerEpoch());
        assertEquals(42, part.order().seed());
        for (int i = 0; i < mine.length; i++) {
            assertEquals(d.labels()[mine[i]], part.data().labels()[i]);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(part);
        }
        BatchMaker copy;
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (BatchMaker) in.readObject();
        }
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int b = 0; b < 3; b++) {
                Batch x = part.make(epoch, part.permutation(epoch), b);
                Batch y = copy.make(epoch, copy.permutation(epoch), b);
                assertArrayEquals(x.input().floats(), y.input().floats(), "same crops and flips after shipping");
                assertArrayEquals(x.labels().longs(), y.labels().longs());
            }
        }
        BatchMaker eval = new BatchMaker(d, n, Augmentation.NONE, null, 4);
        assertThrows(IllegalStateException.class, () -> eval.subset(mine, 1, 2));
    }

    @Test
    void testBatchesCoverEveryImage() {
        ImageDataset d = data(10);
        BatchMaker maker = new BatchMaker(d, PixelStatistics.perPixelMean(d, false), Augmentation.NONE, null, 4);
        assertEquals(3, maker.batchesPerEpoch());
        assertEquals(2, maker.make(0, maker.permutation(0), 2).size());
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsAnError() {
        ImageDataset d = data(3);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new BatchMaker(
                        d, PixelStatistics.perPixelMean(d, false), Augmentation.NONE, new EpochOrder(1, 3), 4));
        assertTrue(e.getMessage().contains("fewer than one batch of 4"), e.getMessage());
    }

    @Test
    void thePrefetcherDeliversInOrderAndRethrows() {
        List<Integer> got = new ArrayList<>();
        try (Prefetcher<Integer> p = new Prefetcher<>(i -> i * i, 3, 9, 2, "t")) {
            while (p.hasNext()) {
                got.add(p.next());
            }
        }
        assertEquals(List.of(9, 16, 25, 36, 49, 64), got);

        try (Prefetcher<Integer> p = new Prefetcher<>(
                i -> {
                    if (i == 2) {
                        throw new IllegalStateException("bad batch " + i);
                    }
                    return i;
                },
                0,
                5,
                1,
                "t")) {
            assertEquals(0, p.next());
            assertEquals(1, p.next());
            IllegalStateException e = assertThrows(IllegalStateException.class, p::next);
            assertEquals("bad batch 2", e.getMessage());
            assertFalse(p.hasNext());
        }
    }

    @Test
    void closingEarlyStopsTheProducer() {
        Prefetcher<Integer> p = new Prefetcher<>(i -> i, 0, Integer.MAX_VALUE, 2, "t");
        assertEquals(0, p.next());
        p.close(); // must return, not wait for two billion items
    }
}
