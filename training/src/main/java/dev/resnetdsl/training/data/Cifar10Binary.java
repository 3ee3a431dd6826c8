package dev.resnetdsl.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 "binary version" ({@code cifar-10-binary.tar.gz} unpacked): {@code data_batch_1.bin}
 * … {@code data_batch_5.bin} for training and {@code test_batch.bin} for testing, each a sequence of
 * 3,073-byte records — one label byte, then the 32×32 red, green and blue planes (already {@code [C,H,W]}).
 */
public final class Cifar10Binary {
    /** Bytes per record: label + 3·32·32 pixels. */
    public static final int RECORD = 1 + 3 * 32 * 32;

    /** The class names, in label order (batches.meta.txt). */
    public static final List<String> CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar10Binary() {}

    /**
     * Reads a folder holding the six batch files, or holding the {@code cifar-10-batches-bin} folder the
     * archive unpacks to.
     */
    public static TrainTestData readFolder(Path dir) throws IOException {
        DataFiles.requireDirectory(dir, "CIFAR-10 data");
        Path nested = dir.resolve("cifar-10-batches-bin");
        if (!Files.exists(dir.resolve("test_batch.bin")) && Files.isDirectory(nested)) {
            dir = nested;
        }
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            trainFiles.add(require(dir, "data_batch_" + i + ".bin"));
        }
        ImageDataset train = read(trainFiles, "cifar10:" + dir + " train");
        ImageDataset test = read(List.of(require(dir, "test_batch.bin")), "cifar10:" + dir + " test");
        return new TrainTestData(train, test);
    }

    /** Reads and concatenates batch files. */
    public static ImageDataset read(List<Path> files, String description) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path file : files) {
            byte[] data = DataFiles.readMaybeGzipped(file);
            if (data.length == 0 || data.length % RECORD != 0) {
                long whole = data.length / RECORD;
                throw new IOException(file + " is truncated or not a CIFAR-10 binary batch: "
                        + DataFiles.bytes(data.length) + " bytes is not a whole number of " + DataFiles.bytes(RECORD)
                        + "-byte records (" + whole + " whole records, then " + (data.length - whole * RECORD)
                        + " bytes)");
            }
            contents.add(data);
            records += data.length / RECORD;
        }
        int n = Math.toIntExact(records);
        int imageBytes = RECORD - 1;
        byte[] pixels = new byte[Math.multiplyExact(n, imageBytes)];
        int[] labels = new int[n];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] data = contents.get(f);
            for (int r = 0; r < data.length / RECORD; r++, i++) {
                int label = data[r * RECORD] & 0xFF;
                if (label >= CLASSES.size()) {
                    throw new IOException(files.get(f) + ": record " + r + " has label " + label
                            + ", CIFAR-10 labels are 0-9 (is this a CIFAR-100 file?)");
                }
                labels[i] = label;
                System.arraycopy(data, r * RECORD + 1, pixels, i * imageBytes, imageBytes);
            }
        }
        return new ImageDataset(description, 3, 32, 32, pixels, labels, CLASSES);
    }

    private static Path require(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(dir.toString(), null, "CIFAR-10 folder has no " + name);
        }
        return p;
    }
}
