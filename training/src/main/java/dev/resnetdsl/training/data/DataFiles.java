package dev.resnetdsl.training.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** File helpers shared by the readers: existence checks with clear messages, transparent gunzip. */
final class DataFiles {
    private DataFiles() {}

    /** Fails with a message naming {@code dir} unless it is an existing directory. */
    static void requireDirectory(Path dir, String what) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, what + " folder does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(what + " path " + dir + " is not a folder");
        }
    }

    /**
     * The whole content of {@code file}, decompressed if it starts with the gzip magic number (so
     * {@code .gz} files and files someone already gunzipped both work, whatever their name).
     */
    static byte[] readMaybeGzipped(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "file does not exist");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                    return in.readAllBytes();
                } catch (EOFException e) {
                    throw new IOException(file + " is truncated: its gzip stream ends early", e);
                } catch (ZipException e) {
                    throw new IOException(file + " is a corrupt gzip file: " + e.getMessage(), e);
                }
            }
            return raw.readAllBytes();
        }
    }

    /** {@code 47,040,016}. */
    static String bytes(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
