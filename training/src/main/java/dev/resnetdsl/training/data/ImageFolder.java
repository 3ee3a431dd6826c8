package dev.resnetdsl.training.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads images stored one class per folder: {@code ROOT/train/<class>/*.png} and
 * {@code ROOT/test/<class>/*.png} (any format {@code javax.imageio} reads: PNG, JPEG, BMP, GIF). Classes
 * are the folder names in sorted order; files are taken in sorted order. Every image must already have
 * the model's input size — an image of another size is an error naming the file, because resizing
 * silently changes what the model learns; resize the data set beforehand. Colour images are read as RGB;
 * for a one-channel model they are converted to grey (ITU-R 601 luma), grey images are used as they are.
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
        byte[] pixels = new byte[Math.multiplyExact(files.size(), imageSize)];
        int[] labelArray = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            decode(files.get(i), channels, height, width, pixels, i * imageSize);
            labelArray[i] = labels.get(i);
        }
        return new ImageDataset(description, channels, height, width, pixels, labelArray, names);
    }

    private static void decode(Path file, int channels, int height, int width, byte[] out, int offset)
            throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": cannot read the image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException(file + ": not an image format Java can read (use PNG, JPEG, BMP or GIF)");
        }
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new IOException(file + ": image is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels, the model expects " + width + "x" + height + " (width x height); resize the data set");
        }
        Raster raster = image.getRaster();
        boolean grey = image.getColorModel().getNumColorComponents() == 1 && raster.getNumBands() <= 2;
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = offset + y * width + x;
                if (grey) {
                    int v = raster.getSample(x, y, 0)
                            * 255
                            / ((1 << raster.getSampleModel().getSampleSize(0)) - 1);
                    for (int c = 0; c < channels; c++) {
                        out[at + c * plane] = (byte) v;
                    }
                } else {
                    int rgb = image.getRGB(x, y);
                    int r = (rgb >> 16) & 0xFF;
                    int g = (rgb >> 8) & 0xFF;
                    int b = rgb & 0xFF;
                    if (channels == 1) {
                        out[at] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                    } else {
                        out[at] = (byte) r;
                        out[at + plane] = (byte) g;
                        out[at + 2 * plane] = (byte) b;
                    }
                }
            }
        }
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
