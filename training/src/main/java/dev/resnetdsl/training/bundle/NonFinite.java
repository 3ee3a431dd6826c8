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
        // x − x is 0 for every finite x and NaN for NaN and ±∞, so a sum of them is 0 exactly when all are finite.
        // No branch per value, and four independent sums so that the adds do not wait on each other; only a chunk
        // that is not all finite is searched element by element.
        float p0 = 0;
        float p1 = 0;
        float p2 = 0;
        float p3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            p0 += values[i] - values[i];
            p1 += values[i + 1] - values[i + 1];
            p2 += values[i + 2] - values[i + 2];
            p3 += values[i + 3] - values[i + 3];
        }
        for (; i < to; i++) {
            p0 += values[i] - values[i];
        }
        if (p0 + p1 + p2 + p3 == 0) {
            return -1;
        }
        for (int j = from; j < to; j++) {
            if (!Float.isFinite(values[j])) {
                return base + j - from;
            }
        }
        return -1;
    }
}
