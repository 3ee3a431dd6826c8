package dev.resnetdsl.training.data;

/**
 * A random transformation of one normalised training image, drawn from a per-sample generator. Serializable, so that
 * batches can be made where a data-parallel worker's data lives.
 */
public interface Augmentation extends java.io.Serializable {
    /**
     * Transforms the image in {@code src} ({@code [C, H, W]}) into {@code dst[offset …]}.
     *
     * @param random this sample's generator (see {@link EpochOrder#sampleRandom})
     */
    void apply(float[] src, int channels, int height, int width, float[] dst, int offset, SplitMix64 random);

    /** No augmentation: copies the image. */
    Augmentation NONE = NoAugmentation.INSTANCE;

    /** An enum, so that {@link #NONE} stays one instance through serialization (batch makers compare with it). */
    enum NoAugmentation implements Augmentation {
        INSTANCE;

        @Override
        public void apply(float[] src, int c, int h, int w, float[] dst, int offset, SplitMix64 random) {
            System.arraycopy(src, 0, dst, offset, c * h * w);
        }
    }
}
