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

    /**
     * Most records read from one batch file: 100,000 (a real batch holds 10,000; the whole data set 60,000).
     * A larger file — or a gzip stream inflating past it — is refused after reading this much.
     */
    public static final int MAX_RECORDS_PER_FILE = 100_000;

    /**
     * Reads and concatenates batch files. Each file is read no further than {@link #MAX_RECORDS_PER_FILE} records,
     * after checking the heap can hold it (an uncompressed file's size is checked before reading at all).
     */
    public static ImageDataset read(List<Path> files, String description) throws IOException {
        return read(files, description, MAX_RECORDS_PER_FILE);
    }

    /** {@link #read(List, String)} with another cap (tests use a small one: inflating 300 MB takes seconds). */
    static ImageDataset read(List<Path> files, String description, int maxRecordsPerFile) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        long maxBytes = (long) maxRecordsPerFile * RECORD;
        for (Path file : files) {
            long onDisk = Files.isRegularFile(file) ? Files.size(file) : 0;
            boolean gzipped = onDisk >= 2 && DataFiles.isGzipped(file);
            if (!gzipped && onDisk > maxBytes) {
                throw new IOException(file + " holds " + DataFiles.bytes(onDisk / RECORD) + " records, more than the "
                        + DataFiles.bytes(maxRecordsPerFile) + " read from one CIFAR-10 batch file");
            }
            long willRead = gzipped ? maxBytes + 1 : onDisk;
            // The file's bytes, then the concatenated pixels: twice what is read, at most.
            dev.resnetdsl.runtime.io.MemoryBudget.require(
                    2 * (willRead + contents.stream().mapToLong(c -> c.length).sum()),
                    String.format(java.util.Locale.ROOT, "reading %s", file));
            byte[] data = DataFiles.readMaybeGzipped(file, maxBytes + 1);
            if (data.length > maxBytes) {
                throw new IOException(file + " decompresses to more than " + DataFiles.bytes(maxRecordsPerFile)
                        + " records, the most read from one CIFAR-10 batch file");
            }
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
