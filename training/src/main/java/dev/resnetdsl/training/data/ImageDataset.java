package dev.resnetdsl.training.data;

import java.util.List;

/**
 * A labelled set of images held as raw 8-bit pixels, channel-major ({@code [N, C, H, W]}), exactly as the
 * files store them. Normalisation and augmentation happen per batch, so the set stays compact (MNIST's
 * 60,000 training images take 47 MB as bytes, four times that as floats).
 *
 * @param description where the images came from, for messages (e.g. {@code mnist:/data/mnist train})
 * @param channels C
 * @param height H
 * @param width W
 * @param pixels N·C·H·W unsigned bytes
 * @param labels N class indices in {@code [0, classNames.size())}
 * @param classNames the class names in index order
 */
public record ImageDataset(
        String description, int channels, int height, int width, byte[] pixels, int[] labels, List<String> classNames) {

    public ImageDataset {
        classNames = List.copyOf(classNames);
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(description + ": " + labels.length + " labels need " + expected
                    + " pixel bytes, have " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(description + ": label " + labels[i] + " of image " + i
                        + " is outside 0.." + (classNames.size() - 1));
            }
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Bytes (= values) per image: C·H·W. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Number of classes. */
    public int classes() {
        return classNames.size();
    }

    /** {@code 1x28x28}. */
    public String shapeText() {
        return channels + "x" + height + "x" + width;
    }

    /** The first {@code n} images (or all, when there are fewer), sharing nothing with this set. */
    public ImageDataset head(int n) {
        int count = Math.min(n, size());
        byte[] p = java.util.Arrays.copyOf(pixels, count * imageSize());
        int[] l = java.util.Arrays.copyOf(labels, count);
        return new ImageDataset(description + " (first " + count + ")", channels, height, width, p, l, classNames);
    }
}
