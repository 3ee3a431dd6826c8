package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
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
 * @param sources where each image came from (file paths), or empty when the images have no names of their own
 *     (MNIST, CIFAR-10: their index identifies them)
 */
public record ImageDataset(
        String description,
        int channels,
        int height,
        int width,
        byte[] pixels,
        int[] labels,
        List<String> classNames,
        List<String> sources)
        implements java.io.Serializable {

    /** A data set whose images have no names of their own. */
    public ImageDataset(
            String description,
            int channels,
            int height,
            int width,
            byte[] pixels,
            int[] labels,
            List<String> classNames) {
        this(description, channels, height, width, pixels, labels, classNames, List.of());
    }

    public ImageDataset {
        classNames = List.copyOf(classNames);
        sources = List.copyOf(sources);
        if (!sources.isEmpty() && sources.size() != labels.length) {
            throw new IllegalArgumentException(
                    description + ": " + sources.size() + " sources for " + labels.length + " images");
        }
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
        return new ImageDataset(
                description + " (first " + count + ")",
                channels,
                height,
                width,
                p,
                l,
                classNames,
                sources.isEmpty() ? List.of() : sources.subList(0, count));
    }

    /**
     * The images at {@code indices}, in that order, sharing nothing with this set (one worker's part of a
     * data-parallel run, say).
     *
     * @throws IndexOutOfBoundsException for an index outside the set
     */
    public ImageDataset subset(int[] indices) {
        int per = imageSize();
        byte[] p = new byte[Math.multiplyExact(indices.length, per)];
        int[] l = new int[indices.length];
        List<String> s = new java.util.ArrayList<>(sources.isEmpty() ? 0 : indices.length);
        for (int i = 0; i < indices.length; i++) {
            int k = java.util.Objects.checkIndex(indices[i], size());
            System.arraycopy(pixels, k * per, p, i * per, per);
            l[i] = labels[k];
            if (!sources.isEmpty()) {
                s.add(sources.get(k));
            }
        }
        return new ImageDataset(
                description + " (" + indices.length + " of " + size() + ")",
                channels,
                height,
                width,
                p,
                l,
                classNames,
                s);
    }

    /** What identifies image {@code index}: its file, or its position in the set. */
    public String source(int index) {
        return sources.isEmpty() ? "#" + index : sources.get(index);
    }

    /**
     * Every image through {@code p}'s colour conversion, resize and crop (normalisation aside): the set as the
     * model sees it. Returns this set when that changes nothing.
     */
    public ImageDataset transformed(Preprocessing p) {
        boolean identity = p.resize().mode() == Preprocessing.Resize.Mode.EXACT
                && p.height() == height
                && p.width() == width
                && p.channels() == channels;
        if (identity) {
            return this;
        }
        int out = p.channels() * p.height() * p.width();
        byte[] converted = new byte[Math.multiplyExact(size(), out)];
        for (int i = 0; i < size(); i++) {
            byte[] one = p.pixels(pixels, i * imageSize(), channels, height, width);
            System.arraycopy(one, 0, converted, i * out, out);
        }
        return new ImageDataset(
                description, p.channels(), p.height(), p.width(), converted, labels, classNames, sources);
    }
}
