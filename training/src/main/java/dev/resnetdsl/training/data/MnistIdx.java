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

    /**
     * Reads one images file and its labels file. Each file's header is read and checked first; the rest is read
     * only up to what the header promises (plus a little, to name trailing bytes), after checking that the heap
     * can hold it, so a gzip bomb or a header promising terabytes is an error, not an {@link OutOfMemoryError}.
     */
    public static ImageDataset read(Path imagesFile, Path labelsFile, String description) throws IOException {
        return read(imagesFile, labelsFile, description, DIGITS);
    }

    private static ImageDataset read(Path imagesFile, Path labelsFile, String description, List<String> classNames)
            throws IOException {
        byte[] images = readIdx(imagesFile, IMAGES_MAGIC, 3, "images", 2);
        byte[] labels = readIdx(labelsFile, LABELS_MAGIC, 1, "labels", 2);
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

    /** Trailing bytes read past the promised content, so a message can say how many there are. */
    private static final int TRAILING_SLACK = 1 << 16;

    /**
     * The content of one IDX file, read no further than its header promises plus {@link #TRAILING_SLACK}.
     * {@code copies} is how many arrays of that size the caller will hold at once (for the memory check).
     */
    private static byte[] readIdx(Path file, int magic, int rank, String what, int copies) throws IOException {
        int headerBytes = 4 + 4 * rank;
        byte[] head = DataFiles.readHead(file, headerBytes);
        if (head.length < headerBytes) {
            return head; // header() names what is missing
        }
        long expected = expectedBytes(file, head, magic, rank, what);
        dev.resnetdsl.runtime.io.MemoryBudget.require(
                copies * expected, String.format(java.util.Locale.ROOT, "reading %s (%,d bytes)", file, expected));
        return DataFiles.readMaybeGzipped(file, expected + TRAILING_SLACK);
    }

    /** Header plus payload, as the header of {@code head} promises; checks magic, dimensions and the hard cap. */
    private static long expectedBytes(Path file, byte[] head, int magic, int rank, String what) throws IOException {
        int[] dims = dims(file, head, magic, rank, what);
        long payload = 1;
        for (int d : dims) {
            payload *= d; // three positive ints: at most 2^93, so check as we go
            if (payload > DataFiles.MAX_FILE_BYTES) {
                break;
            }
        }
        long expected = 4 + 4L * rank + payload;
        if (expected > DataFiles.MAX_FILE_BYTES) {
            throw new IOException(file + ": IDX header promises " + describe(dims, what) + ", more than "
                    + DataFiles.bytes(DataFiles.MAX_FILE_BYTES) + " bytes, the most one file may hold");
        }
        return expected;
    }

    /** Validates an IDX header and the total length; returns the dimensions. */
    private static int[] header(Path file, byte[] data, int magic, int rank, String what) throws IOException {
        int[] dims = dims(file, data, magic, rank, what);
        long expected = expectedBytes(file, data, magic, rank, what);
        if (data.length < expected) {
            throw new IOException(file + " is truncated: its header promises " + describe(dims, what) + " ("
                    + DataFiles.bytes(expected) + " bytes) but it has only " + DataFiles.bytes(data.length)
                    + " bytes; " + DataFiles.bytes(expected - data.length) + " bytes are missing");
        }
        if (data.length > expected) {
            long extra = data.length - expected;
            throw new IOException(file + ": " + (extra >= TRAILING_SLACK ? "at least " : "") + DataFiles.bytes(extra)
                    + " unexpected bytes after the " + describe(dims, what) + " its header promises");
        }
        return dims;
    }

    /** The dimensions of the IDX header at the start of {@code data}, after checking its length and magic. */
    private static int[] dims(Path file, byte[] data, int magic, int rank, String what) throws IOException {
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
