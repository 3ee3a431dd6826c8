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
     * Largest data file read, after decompression: arrays are indexed by {@code int}, so one file can hold no more
     * than this (2 GiB less a little), whatever its header claims or its gzip stream would inflate to.
     */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

    /**
     * The first {@code n} bytes of {@code file}'s content, decompressed if it is gzipped; fewer when the content is
     * shorter. Reads nothing else, so a header can be checked before the rest is read.
     */
    static byte[] readHead(Path file, int n) throws IOException {
        try (InputStream in = open(file)) {
            return in.readNBytes(n);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: its gzip stream ends early", e);
        } catch (ZipException e) {
            throw new IOException(file + " is a corrupt gzip file: " + e.getMessage(), e);
        }
    }

    /**
     * The content of {@code file}, decompressed if it starts with the gzip magic number (so {@code .gz} files and
     * files someone already gunzipped both work, whatever their name), reading at most {@code limit} bytes: a
     * result of {@code limit} bytes means the content may go on. A gzip bomb costs {@code limit} bytes, not the
     * heap; the caller checks the heap can hold {@code limit} first.
     */
    static byte[] readMaybeGzipped(Path file, long limit) throws IOException {
        if (limit > MAX_FILE_BYTES) {
            limit = MAX_FILE_BYTES;
        }
        try (InputStream in = open(file)) {
            return in.readNBytes((int) limit);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: its gzip stream ends early", e);
        } catch (ZipException e) {
            throw new IOException(file + " is a corrupt gzip file: " + e.getMessage(), e);
        }
    }

    /** Whether {@code file} starts with the gzip magic number. */
    static boolean isGzipped(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return raw.read() == 0x1f && raw.read() == 0x8b;
        }
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "file does not exist");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** {@code 47,040,016}. */
    static String bytes(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
