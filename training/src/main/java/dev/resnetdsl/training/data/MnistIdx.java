package dev.resnetdsl.training.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads MNIST in its IDX format (LeCun's {@code train-images-idx3-ubyte} etc., gzipped or not). The
 * header is checked against the content: magic number (unsigned-byte data, 3 dimensions for images, 1 for
 * labels), dimensions, and that the file holds exactly the bytes the header promises — a truncated
 * download is an error naming the file and how much is missing, never a silently smaller data set.
 */
public final class MnistIdx {
    /** Magic number of an unsigned-byte IDX file with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte IDX file with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Fashion-MNIST's classes (Zalando Research, MIT licence), in label order; its files are MNIST's format. */
    public static final List<String> FASHION = List.of(
            "T-shirt-top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle-boot");

    private MnistIdx() {}

    /**
     * Reads the training and test sets from a folder holding the four standard files, each either
     * plain or with a {@code .gz} suffix.
     */
    public static TrainTestData readFolder(Path dir) throws IOException {
        return readFolder(dir, DIGITS, "mnist");
    }

    /** {@link #readFolder(Path)} for a data set in MNIST's format with other class names (Fashion-MNIST). */
    public static TrainTestData readFolder(Path dir, List<String> classNames, String kind) throws IOException {
        DataFiles.requireDirectory(dir, "MNIST data");
        ImageDataset train = read(
                find(dir, "train-images-idx3-ubyte"),
                find(dir, "train-labels-idx1-ubyte"),
                kind + ":" + dir + " train",
                classNames);
        ImageDataset test = read(
                find(dir, "t10k-images-idx3-ubyte"),
                find(dir, "t10k-labels-idx1-ubyte"),
                kind + ":" + dir + " test",
                classNames);
        return new TrainTestData(train, test);
    }

    /** Reads one images file and its labels file. */
    public static ImageDataset read(Path imagesFile, Path labelsFile, String description) throws IOException {
        return read(imagesFile, labelsFile, description, DIGITS);
    }

    private static ImageDataset read(Path imagesFile, Path labelsFile, String description, List<String> classNames)
            throws IOException {
        byte[] images = DataFiles.readMaybeGzipped(imagesFile);
        byte[] labels = DataFiles.readMaybeGzipped(labelsFile);
        int[] imageDims = header(imagesFile, images, IMAGES_MAGIC, 3, "images");
        int[] labelDims = header(labelsFile, labels, LABELS_MAGIC, 1, "labels");
        if (imageDims[0] != labelDims[0]) {
            throw new IOException(imagesFile + " holds " + imageDims[0] + " images but " + labelsFile + " holds "
                    + labelDims[0] + " labels");
        }
        int n = imageDims[0];
        int h = imageDims[1];
        int w = imageDims[2];
        byte[] pixels = new byte[n * h * w];
        System.arraycopy(images, 16, pixels, 0, pixels.length);
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            int label = labels[8 + i] & 0xFF;
            if (label >= classNames.size()) {
                throw new IOException(
                        labelsFile + ": label " + i + " is " + label + ", not a class 0-" + (classNames.size() - 1));
            }
            classes[i] = label;
        }
        return new ImageDataset(description, 1, h, w, pixels, classes, classNames);
    }

    /** Validates an IDX header and the total length; returns the dimensions. */
    private static int[] header(Path file, byte[] data, int magic, int rank, String what) throws IOException {
        int headerBytes = 4 + 4 * rank;
        if (data.length < headerBytes) {
            throw new IOException(file + " is truncated: an IDX " + what + " header needs " + headerBytes
                    + " bytes, the file has " + data.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(data); // IDX is big-endian, ByteBuffer's default
        int actualMagic = buf.getInt();
        if (actualMagic != magic) {
            throw new IOException(String.format(
                    "%s is not an IDX %s file: magic number 0x%08X, expected 0x%08X", file, what, actualMagic, magic));
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = buf.getInt();
            if (dims[i] <= 0) {
                throw new IOException(file + ": dimension " + i + " of the IDX header is " + dims[i]);
            }
        }
        long payload = 1;
        for (int d : dims) {
            payload *= d;
        }
        long expected = headerBytes + payload;
        if (expected > Integer.MAX_VALUE - 16) {
            throw new IOException(file + ": IDX header promises " + DataFiles.bytes(payload) + " bytes, too many");
        }
        if (data.length < expected) {
            throw new IOException(file + " is truncated: its header promises " + describe(dims, what) + " ("
                    + DataFiles.bytes(expected) + " bytes) but it has only " + DataFiles.bytes(data.length)
                    + " bytes; " + DataFiles.bytes(expected - data.length) + " bytes are missing");
        }
        if (data.length > expected) {
            throw new IOException(file + ": " + DataFiles.bytes(data.length - expected) + " unexpected bytes after the "
                    + describe(dims, what) + " its header promises");
        }
        return dims;
    }

    private static String describe(int[] dims, String what) {
        return dims.length == 3 ? dims[0] + " images of " + dims[1] + "x" + dims[2] : dims[0] + " " + what;
    }

    private static Path find(Path dir, String name) throws IOException {
        for (String candidate :
                new String[] {name, name + ".gz", name.replace("-idx", ".idx"), name.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.toString(), null, "MNIST folder has no " + name + " (nor " + name + ".gz)");
    }
}
