package dev.resnetdsl.training.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {}

    static byte[] images(int n, int h, int w) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * h * w);
        b.putInt(MnistIdx.IMAGES_MAGIC).putInt(n).putInt(h).putInt(w);
        for (int i = 0; i < n * h * w; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    static byte[] labels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(MnistIdx.LABELS_MAGIC).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    static void write(Path file, byte[] content, boolean gzip) throws IOException {
        if (!gzip) {
            Files.write(file, content);
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        Files.write(file, bytes.toByteArray());
    }

    /** A complete MNIST-style folder with {@code train} and {@code test} images of 28×28. */
    static void folder(Path dir, int train, int test, boolean gzip) throws IOException {
        String gz = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + gz), images(train, 28, 28), gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + gz), labels(train), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte" + gz), images(test, 28, 28), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + gz), labels(test), gzip);
    }
}
