package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.ImageFiles;
import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads images stored one class per folder: {@code ROOT/train/<class>/*.png} and
 * {@code ROOT/test/<class>/*.png} (any format {@code javax.imageio} reads: PNG, JPEG, BMP, GIF). Classes
 * are the folder names in sorted order; files are taken in sorted order. Every image must already have
 * the model's input size — an image of another size is an error naming the file, because resizing
 * silently changes what the model learns; resize the data set beforehand. Colour conversion is
 * {@link Preprocessing}'s (RGB, or PIL's grey for a one-channel model), the same that deployment applies.
 */
public final class ImageFolder {
    private ImageFolder() {}

    /** Reads {@code root/train} and {@code root/test} as {@code channels×height×width} images. */
    public static TrainTestData readFolder(Path root, int channels, int height, int width) throws IOException {
        DataFiles.requireDirectory(root, "image");
        DataFiles.requireDirectory(root.resolve("train"), "image training");
        DataFiles.requireDirectory(root.resolve("test"), "image test");
        ImageDataset train = read(root.resolve("train"), channels, height, width, "folder:" + root + " train");
        ImageDataset test = read(root.resolve("test"), channels, height, width, "folder:" + root + " test");
        return new TrainTestData(train, test);
    }

    /** Reads one class-per-folder tree. */
    public static ImageDataset read(Path dir, int channels, int height, int width, String description)
            throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    "image folders give 1 (grey) or 3 (RGB) channels, the model wants " + channels);
        }
        List<Path> classDirs = sorted(dir, true);
        if (classDirs.isEmpty()) {
            throw new IOException(dir + " has no class folders (expected " + dir + "/<class>/<image files>)");
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            names.add(classDirs.get(c).getFileName().toString());
            for (Path f : sorted(classDirs.get(c), false)) {
                files.add(f);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new IOException(dir + " has class folders but no image files");
        }
        int imageSize = channels * height * width;
        // The images already have the model's size: this only converts their colour, as deployment will.
        Preprocessing exact = new Preprocessing(
                Preprocessing.Resize.exact(),
                height,
                width,
                Preprocessing.ColorMode.forChannels(channels),
                Normalization.none(),
                List.of());
        byte[] pixels = new byte[Math.multiplyExact(files.size(), imageSize)];
        int[] labelArray = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            decode(files.get(i), exact, pixels, i * imageSize);
            labelArray[i] = labels.get(i);
        }
        return new ImageDataset(description, channels, height, width, pixels, labelArray, names);
    }

    private static void decode(Path file, Preprocessing exact, byte[] out, int offset) throws IOException {
        BufferedImage image = ImageFiles.read(file);
        if (image.getWidth() != exact.width() || image.getHeight() != exact.height()) {
            throw new IOException(file + ": image is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels, the model expects " + exact.width() + "x" + exact.height()
                    + " (width x height); resize the data set");
        }
        byte[] pixels = exact.pixels(image);
        System.arraycopy(pixels, 0, out, offset, pixels.length);
    }

    private static List<Path> sorted(Path dir, boolean directories) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> directories ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }
}
