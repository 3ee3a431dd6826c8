package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.Resample;

/**
 * torchvision's {@code RandomResizedCrop(size, scale=(0.08, 1.0), ratio=(3/4, 4/3))} followed by a horizontal
 * flip with probability ½, the standard training augmentation for photos, on 8-bit planes: a crop of random area
 * and aspect ratio (up to ten tries, then the centre crop) resized with the same bilinear resampling as
 * evaluation. The source is the stored training square (see {@link TrainTestData}), not the original photo,
 * which keeps a data set of photos in memory at a bounded size; crops are therefore drawn from the photo's central
 * square.
 */
public final class RandomResizedCrop {
    private static final double MIN_SCALE = 0.08;
    private static final double LOG_RATIO_LOW = Math.log(3.0 / 4.0);
    private static final double LOG_RATIO_HIGH = Math.log(4.0 / 3.0);

    private RandomResizedCrop() {}

    /**
     * Crops image {@code src[from …]} ({@code channels × size × size}) into {@code dst} ({@code channels × height ×
     * width}), drawing from {@code random} in a fixed order so the choice is part of the data-order contract.
     */
    public static byte[] apply(byte[] src, int from, int channels, int size, int height, int width, SplitMix64 random) {
        double area = (double) size * size;
        int cropW = size;
        int cropH = size;
        int top = 0;
        int left = 0;
        boolean found = false;
        for (int attempt = 0; attempt < 10 && !found; attempt++) {
            double target = area * (MIN_SCALE + (1 - MIN_SCALE) * random.nextDouble());
            double ratio = Math.exp(LOG_RATIO_LOW + (LOG_RATIO_HIGH - LOG_RATIO_LOW) * random.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= size && h <= size) {
                cropW = w;
                cropH = h;
                top = random.nextInt(size - h + 1);
                left = random.nextInt(size - w + 1);
                found = true;
            }
        }
        boolean flip = random.nextBoolean();
        int plane = height * width;
        byte[] out = new byte[channels * plane];
        float[] crop = new float[cropW * cropH];
        for (int c = 0; c < channels; c++) {
            int base = from + c * size * size;
            for (int y = 0; y < cropH; y++) {
                for (int x = 0; x < cropW; x++) {
                    crop[y * cropW + x] = src[base + (top + y) * size + left + x] & 0xFF;
                }
            }
            float[] resized =
                    cropW == width && cropH == height ? crop : Resample.bilinear(crop, cropW, cropH, width, height);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int sx = flip ? width - 1 - x : x;
                    out[c * plane + y * width + x] = (byte) (int) resized[y * width + sx];
                }
            }
        }
        return out;
    }
}
