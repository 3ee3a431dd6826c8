package dev.resnetdsl.training.data;

/** A random transformation of one normalised training image, drawn from a per-sample generator. */
public interface Augmentation {
    /**
     * Transforms the image in {@code src} ({@code [C, H, W]}) into {@code dst[offset …]}.
     *
     * @param random this sample's generator (see {@link EpochOrder#sampleRandom})
     */
    void apply(float[] src, int channels, int height, int width, float[] dst, int offset, SplitMix64 random);

    /** No augmentation: copies the image. */
    Augmentation NONE = (src, c, h, w, dst, offset, random) -> System.arraycopy(src, 0, dst, offset, c * h * w);
}
