package dev.resnetdsl.training.bundle;

import java.nio.FloatBuffer;

/** Finds the first NaN or infinity in a vector of floats. */
final class NonFinite {
    private static final int CHUNK = 8192;

    private NonFinite() {}

    /** The index of the first value of {@code values} that is not finite, or −1. */
    static int indexIn(float[] values) {
        return indexIn(values, 0, values.length, 0);
    }

    /** The index of the first value of {@code buffer} (all of it, from 0 to its capacity) that is not finite, or −1. */
    static int indexIn(FloatBuffer buffer) {
        // Bulk copies into a small array: element-wise get(i) on a direct buffer is several times slower.
        float[] chunk = new float[CHUNK];
        int n = buffer.capacity();
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            buffer.get(start, chunk, 0, len);
            int at = indexIn(chunk, 0, len, start);
            if (at >= 0) {
                return at;
            }
        }
        return -1;
    }

    private static int indexIn(float[] values, int from, int to, int base) {
        // x − x is 0 for every finite x and NaN for NaN and ±∞; summing without a branch lets the loop run at
        // memory speed, and only a chunk that is not all finite is searched element by element.
        float probe = 0;
        for (int i = from; i < to; i++) {
            probe += values[i] - values[i];
        }
        if (probe == 0) {
            return -1;
        }
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(values[i])) {
                return base + i - from;
            }
        }
        return -1;
    }
}
