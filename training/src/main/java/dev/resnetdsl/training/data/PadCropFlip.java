package dev.resnetdsl.training.data;

/**
 * The paper's CIFAR-10 augmentation (section 4.2, after Lee et al.): pad each side with {@code padding}
 * zeros, take a random crop of the original size, and flip it horizontally with probability ½. The padding
 * is applied after mean subtraction, so padded pixels equal the mean image there (the usual reading).
 */
public final class PadCropFlip implements Augmentation {
    private static final long serialVersionUID = 1L;

    private final int padding;
    private final boolean flip;

    /** Padding {@code padding} pixels per side; horizontal flips when {@code flip}. */
    public PadCropFlip(int padding, boolean flip) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be ≥ 0: " + padding);
        }
        this.padding = padding;
        this.flip = flip;
    }

    /** The paper's: 4 pixels, flips on. */
    public static PadCropFlip paper() {
        return new PadCropFlip(4, true);
    }

    @Override
    public void apply(float[] src, int channels, int height, int width, float[] dst, int offset, SplitMix64 random) {
        // Draw in a fixed order so that the choice of dy, dx and flip is part of the data-order contract.
        int dy = random.nextInt(2 * padding + 1) - padding;
        int dx = random.nextInt(2 * padding + 1) - padding;
        boolean mirrored = flip && random.nextBoolean();
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                int row = offset + plane + y * width;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(dst, row, row + width, 0f);
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int sx = (mirrored ? width - 1 - x : x) + dx;
                    dst[row + x] = sx < 0 || sx >= width ? 0f : src[plane + sy * width + sx];
                }
            }
        }
    }

    @Override
    public String toString() {
        return "pad " + padding + " + random crop" + (flip ? " + horizontal flip" : "");
    }
}
