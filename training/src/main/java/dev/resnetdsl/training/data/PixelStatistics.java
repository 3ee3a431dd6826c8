package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.Normalization;

/**
 * Fits a normalisation to a training set: the paper's per-pixel mean (one mean per position, C·H·W values, over
 * the training images), and, when unit variance is asked for, one scale that brings the standard deviation after
 * mean subtraction to 1 — as for MNIST, whose mostly-black images would otherwise give inputs with a standard
 * deviation of about 0.3. The result is an ordinary {@link Normalization}, recorded with the model so that
 * deployment applies exactly the same numbers.
 */
public final class PixelStatistics {
    private PixelStatistics() {}

    /** The per-pixel mean (and, if {@code unitVariance}, the scale) of {@code train}. */
    public static Normalization perPixelMean(ImageDataset train, boolean unitVariance) {
        int size = train.imageSize();
        int n = train.size();
        byte[] pixels = train.pixels();
        long[] sums = new long[size];
        for (int i = 0; i < n; i++) {
            int base = i * size;
            for (int p = 0; p < size; p++) {
                sums[p] += pixels[base + p] & 0xFF;
            }
        }
        float[] mean = new float[size];
        for (int p = 0; p < size; p++) {
            mean[p] = (float) (sums[p] / (255.0 * n));
        }
        float scale = 1f;
        if (unitVariance) {
            double sq = 0;
            for (int i = 0; i < n; i++) {
                int base = i * size;
                for (int p = 0; p < size; p++) {
                    double d = (pixels[base + p] & 0xFF) / 255.0 - mean[p];
                    sq += d * d;
                }
            }
            double std = Math.sqrt(sq / ((double) n * size));
            scale = std > 1e-6 ? (float) (1.0 / std) : 1f;
        }
        return Normalization.perPixel(mean, scale);
    }
}
