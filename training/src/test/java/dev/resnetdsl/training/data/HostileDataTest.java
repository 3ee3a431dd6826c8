package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.testing.HostilePng;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile data files, one row each: a folder is laid out, a reader reads it, and the row names the one-line error
 * it must give. Every row would otherwise allocate without bound (a gzip bomb, a header promising terabytes, a
 * sparse file of gigabytes, a small PNG decoding to 40000×40000); {@code CliMemoryTest} runs the same shapes in a
 * JVM with a small heap, where the readers of the main branch died with OutOfMemoryError.
 */
class HostileDataTest {
    @TempDir
    Path dir;

    /** What the row does to the folder, and how the folder is read. */
    interface Setup {
        void apply(Path dir) throws IOException;
    }

    interface Reader {
        void read(Path dir) throws IOException;
    }

    record Row(String name, Setup setup, Reader reader, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Row> rows() {
        Reader mnist = MnistIdx::readFolder;
        Reader cifar = Cifar10Binary::readFolder;
        Reader images = d -> ImageFolder.readFolder(d, 3, 8, 8);
        return List.of(
                new Row(
                        "MNIST images: a gzip bomb behind a small header",
                        d -> {
                            IdxFiles.folder(d, 10, 10, true);
                            byte[] header = ByteBuffer.allocate(16)
                                    .putInt(MnistIdx.IMAGES_MAGIC)
                                    .putInt(10)
                                    .putInt(28)
                                    .putInt(28)
                                    .array();
                            Files.write(d.resolve("train-images-idx3-ubyte.gz"), gzipBomb(header, 64 << 20));
                        },
                        mnist,
                        "at least 65,536 unexpected bytes after the 10 images of 28x28 its header promises"),
                new Row(
                        "MNIST images: a header promising 2^31 images",
                        d -> {
                            IdxFiles.folder(d, 10, 10, false);
                            Files.write(
                                    d.resolve("train-images-idx3-ubyte"),
                                    ByteBuffer.allocate(16)
                                            .putInt(MnistIdx.IMAGES_MAGIC)
                                            .putInt(Integer.MAX_VALUE)
                                            .putInt(28)
                                            .putInt(28)
                                            .array());
                        },
                        mnist,
                        "IDX header promises 2147483647 images of 28x28, more than 2,147,483,583 bytes"),
                new Row(
                        "MNIST labels: a gzip bomb",
                        d -> {
                            IdxFiles.folder(d, 10, 10, true);
                            byte[] header = ByteBuffer.allocate(8)
                                    .putInt(MnistIdx.LABELS_MAGIC)
                                    .putInt(10)
                                    .array();
                            Files.write(d.resolve("t10k-labels-idx1-ubyte.gz"), gzipBomb(header, 16 << 20));
                        },
                        mnist,
                        "unexpected bytes after the 10 labels"),
                new Row(
                        "CIFAR-10: a sparse 4 GB batch file",
                        d -> {
                            Cifar10BinaryTest.writeAll(d);
                            try (RandomAccessFile f = new RandomAccessFile(
                                    d.resolve("data_batch_2.bin").toFile(), "rw")) {
                                f.setLength(4L << 30);
                            }
                        },
                        cifar,
                        "data_batch_2.bin holds 1,397,646 records, more than the 100,000 read from one CIFAR-10"),
                new Row(
                        "CIFAR-10: a gzip bomb (cap lowered to 1,000 records: inflating 300 MB takes seconds here)",
                        d -> Files.write(d.resolve("test_batch.bin"), gzipBomb(new byte[0], 4 << 20)),
                        d -> Cifar10Binary.read(List.of(d.resolve("test_batch.bin")), "bomb", 1000),
                        "test_batch.bin decompresses to more than 1,000 records"),
                new Row(
                        "image folder: a small PNG claiming 40000x40000 pixels",
                        d -> {
                            for (String split : List.of("train", "test")) {
                                Path cat =
                                        Files.createDirectories(d.resolve(split).resolve("cat"));
                                ImageIO.write(
                                        new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
                                        "png",
                                        cat.resolve("ok.png").toFile());
                            }
                            Files.write(
                                    d.resolve("train").resolve("cat").resolve("zz-bomb.png"),
                                    HostilePng.claiming(40_000, 40_000));
                        },
                        images,
                        "zz-bomb.png: image is 40000x40000 pixels; at most 50 megapixels are decoded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void hostileDataIsAOneLineErrorBeforeAnythingLarge(Row row) throws IOException {
        row.setup().apply(dir);
        IOException e = assertThrows(IOException.class, () -> row.reader().read(dir));
        assertTrue(e.getMessage().contains(row.expected()), () -> "expected '" + row.expected() + "' in: " + e);
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    /**
     * {@code header} then {@code zeros} zero bytes (a multiple of 1 MiB), gzipped as concatenated members — which
     * gzip readers inflate as one stream — so a 300 MB bomb is made by compressing 1 MiB once.
     */
    static byte[] gzipBomb(byte[] header, int zeros) throws IOException {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.writeBytes(gzip(header));
        byte[] megabyte = gzip(new byte[1 << 20]);
        for (int i = 0; i < zeros >> 20; i++) {
            bomb.writeBytes(megabyte);
        }
        return bomb.toByteArray();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
