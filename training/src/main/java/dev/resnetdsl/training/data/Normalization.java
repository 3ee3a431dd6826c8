package dev.resnetdsl.training.data;

/**
 * Turns 8-bit pixels into network input: {@code (pixel / 255 − mean[pixel position]) · scale}. The mean is
 * per pixel position (C·H·W values) over the training set — the paper's "per-pixel mean subtracted".
 * The scale is 1 for the paper's recipe, or the reciprocal of the training set's standard deviation after
 * mean subtraction (one number over all positions) when unit variance is asked for, as for MNIST, whose
 * mostly-black images would otherwise give inputs with a standard deviation of about 0.3.
 *
 * @param mean C·H·W per-position means, in units of pixel / 255
 * @param scale the factor applied after subtracting the mean
 */
public record Normalization(float[] mean, float scale) {

    /** Fits the per-pixel mean (and, if {@code unitVariance}, the scale) to a training set. */
    public static Normalization fit(ImageDataset train, boolean unitVariance) {
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
        return new Normalization(mean, scale);
    }

    /** Writes image {@code index} of {@code data}, normalised, to {@code out[offset …]}. */
    public void apply(ImageDataset data, int index, float[] out, int offset) {
        int size = mean.length;
        if (data.imageSize() != size) {
            throw new IllegalArgumentException("normalisation fitted to " + size + " values per image, "
                    + data.description() + " has " + data.imageSize());
        }
        byte[] pixels = data.pixels();
        int base = index * size;
        for (int p = 0; p < size; p++) {
            out[offset + p] = ((pixels[base + p] & 0xFF) / 255f - mean[p]) * scale;
        }
    }
}
