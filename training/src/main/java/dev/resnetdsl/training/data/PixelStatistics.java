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

    /**
     * Per-channel mean and standard deviation of {@code train}'s pixels (all positions, all images): the
     * normalisation for photos, whose per-pixel mean would describe one crop size only.
     */
    public static Normalization perChannel(ImageDataset train) {
        int c = train.channels();
        int plane = train.height() * train.width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        byte[] pixels = train.pixels();
        for (int i = 0; i < train.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                long s = 0;
                long s2 = 0;
                for (int p = 0; p < plane; p++) {
                    int v = pixels[base + p] & 0xFF;
                    s += v;
                    s2 += (long) v * v;
                }
                sum[ch] += s;
                sq[ch] += s2;
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double count = (double) train.size() * plane;
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count / 255.0;
            double var = sq[ch] / count / (255.0 * 255.0) - m * m;
            mean[ch] = (float) m;
            std[ch] = (float) Math.max(Math.sqrt(Math.max(var, 0)), 1e-3);
        }
        return Normalization.perChannel(mean, std);
    }

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
