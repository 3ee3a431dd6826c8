package dev.resnetdsl.runtime.io;

import java.util.Locale;

/**
 * Checks, before a large allocation, that the JVM's heap can hold it, so that a data set or model too large for
 * this JVM is a one-line error saying how much is needed ("needs 7.6 GB, the JVM has 3.9 GB") instead of an
 * {@link OutOfMemoryError} half-way through. The estimate is the caller's (bytes of the arrays it is about to
 * make); the heap's headroom is its maximum minus what is in use after a collection.
 */
public final class MemoryBudget {
    private MemoryBudget() {}

    /**
     * @param bytes what the caller is about to allocate, in bytes
     * @param what what it is for, as the message's subject ("exporting ResNet50 (25,557,032 parameters)")
     * @throws IllegalArgumentException when the heap cannot hold {@code bytes} more
     */
    public static void require(long bytes, String what) {
        if (bytes <= headroom()) {
            return;
        }
        // Garbage counts as used until a collection; make sure before refusing.
        System.gc();
        long headroom = headroom();
        if (bytes > headroom) {
            throw new IllegalArgumentException(
                    message(bytes, headroom, Runtime.getRuntime().maxMemory(), what));
        }
    }

    /** The refusal: what needs how much, and what the JVM has. */
    static String message(long bytes, long headroom, long max, String what) {
        return String.format(
                Locale.ROOT,
                "%s needs %s of memory, the JVM has %s free (of at most %s); give the JVM more memory (java -Xmx)",
                what,
                gigabytes(bytes),
                gigabytes(headroom),
                gigabytes(max));
    }

    /** Bytes the heap can still grant: its maximum minus what is in use. */
    static long headroom() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /** {@code 7.6 GB}; {@code 0.25 GB} below one. */
    static String gigabytes(long bytes) {
        double gb = bytes / 1e9;
        return String.format(Locale.ROOT, gb >= 1 ? "%.1f GB" : "%.2f GB", gb);
    }
}
