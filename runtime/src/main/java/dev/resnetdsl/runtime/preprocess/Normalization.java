package dev.resnetdsl.runtime.preprocess;

import java.util.Arrays;
import java.util.Objects;

/**
 * How 8-bit pixels become network input, after they are scaled to [0, 1] by dividing by 255:
 *
 * <ul>
 *   <li>{@link Kind#NONE}: {@code v = p/255};
 *   <li>{@link Kind#PER_CHANNEL}: {@code v = (p/255 − mean[c]) / std[c]} (ImageNet's, or one fitted per channel);
 *   <li>{@link Kind#PER_PIXEL}: {@code v = (p/255 − mean[i]) · scale}, with one mean per position (C·H·W values) —
 *       the paper's "per-pixel mean subtracted" — and one scale (1, or the reciprocal of the data set's
 *       standard deviation after mean subtraction).
 * </ul>
 *
 * @param kind which rule
 * @param mean per channel (PER_CHANNEL) or per position (PER_PIXEL); empty for NONE
 * @param std per channel (PER_CHANNEL); empty otherwise
 * @param scale the factor after subtracting a per-pixel mean (PER_PIXEL); 1 otherwise
 */
public record Normalization(Kind kind, float[] mean, float[] std, float scale) implements java.io.Serializable {
    /** The rules. */
    public enum Kind {
        NONE,
        PER_CHANNEL,
        PER_PIXEL
    }

    /** Largest mean vector accepted from a file: a per-pixel mean of a 3×512×512 input. */
    public static final int MAX_VALUES = 3 * 512 * 512;

    public Normalization {
        Objects.requireNonNull(kind, "normalization kind");
        mean = mean == null ? new float[0] : mean.clone();
        std = std == null ? new float[0] : std.clone();
        if (mean.length > MAX_VALUES) {
            throw new IllegalArgumentException("normalization has " + mean.length + " mean values, more than "
                    + MAX_VALUES + " (a per-pixel mean of 3x512x512)");
        }
        switch (kind) {
            case NONE -> {
                if (mean.length != 0 || std.length != 0) {
                    throw new IllegalArgumentException("normalization NONE takes no mean or std");
                }
            }
            case PER_CHANNEL -> {
                if (mean.length == 0 || mean.length != std.length) {
                    throw new IllegalArgumentException("per-channel normalization needs as many std values ("
                            + std.length + ") as mean values (" + mean.length + "), at least one");
                }
                for (float s : std) {
                    if (!(s > 0) || !Float.isFinite(s)) {
                        throw new IllegalArgumentException("per-channel std must be positive and finite, got " + s);
                    }
                }
            }
            case PER_PIXEL -> {
                if (mean.length == 0 || std.length != 0) {
                    throw new IllegalArgumentException("per-pixel normalization needs a mean per position, no std");
                }
                if (!(scale > 0) || !Float.isFinite(scale)) {
                    throw new IllegalArgumentException("per-pixel scale must be positive and finite, got " + scale);
                }
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("normalization mean must be finite, got " + m);
            }
        }
    }

    /** No normalisation beyond scaling to [0, 1]. */
    public static Normalization none() {
        return new Normalization(Kind.NONE, new float[0], new float[0], 1f);
    }

    /** {@code (p/255 − mean[c]) / std[c]}. */
    public static Normalization perChannel(float[] mean, float[] std) {
        return new Normalization(Kind.PER_CHANNEL, mean, std, 1f);
    }

    /** {@code (p/255 − mean[i]) · scale}, one mean per position. */
    public static Normalization perPixel(float[] mean, float scale) {
        return new Normalization(Kind.PER_PIXEL, mean, new float[0], scale);
    }

    /** ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225), as torchvision's weights expect. */
    public static Normalization imagenet() {
        return perChannel(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Fails unless this normalisation applies to images of {@code channels × height × width}. */
    public void requireFits(int channels, int height, int width) {
        long positions = (long) channels * height * width;
        if (kind == Kind.PER_CHANNEL && mean.length != channels) {
            throw new IllegalArgumentException(
                    "per-channel normalization has " + mean.length + " channels, the images have " + channels);
        }
        if (kind == Kind.PER_PIXEL && mean.length != positions) {
            throw new IllegalArgumentException("per-pixel normalization has " + mean.length + " positions, " + channels
                    + "x" + height + "x" + width + " images have " + positions);
        }
    }

    /**
     * Normalises one image: {@code pixels[from … from + C·H·W)} (unsigned bytes, channel-major) into
     * {@code out[to …]}.
     */
    public void apply(byte[] pixels, int from, int channels, int plane, float[] out, int to) {
        int size = channels * plane;
        switch (kind) {
            case NONE -> {
                for (int i = 0; i < size; i++) {
                    out[to + i] = (pixels[from + i] & 0xFF) / 255f;
                }
            }
            case PER_CHANNEL -> {
                for (int c = 0; c < channels; c++) {
                    float m = mean[c];
                    float s = std[c];
                    int base = c * plane;
                    for (int i = base; i < base + plane; i++) {
                        out[to + i] = ((pixels[from + i] & 0xFF) / 255f - m) / s;
                    }
                }
            }
            case PER_PIXEL -> {
                for (int i = 0; i < size; i++) {
                    out[to + i] = ((pixels[from + i] & 0xFF) / 255f - mean[i]) * scale;
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n
                && kind == n.kind
                && Arrays.equals(mean, n.mean)
                && Arrays.equals(std, n.std)
                && Float.compare(scale, n.scale) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(mean), Arrays.hashCode(std), scale);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "pixel/255";
            case PER_CHANNEL -> "(pixel/255 - mean) / std per channel, mean " + Arrays.toString(mean) + ", std "
                    + Arrays.toString(std);
            case PER_PIXEL -> "(pixel/255 - per-pixel mean) * " + scale;
        };
    }
}
