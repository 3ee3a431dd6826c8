package dev.resnetdsl.training.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class NonFiniteTest {
    @Test
    void findsTheFirstNanOrInfinityAnywhereAndNothingInFiniteValues() {
        int n = 3 * 8192 + 5; // chunks of 8192 and a ragged end
        for (int at : new int[] {0, 3, 8191, 8192, 8193, 2 * 8192 + 3, n - 1}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                FloatBuffer b = buffer(n);
                b.put(at, bad);
                assertEquals(at, NonFinite.indexIn(b), bad + " at " + at);
                float[] a = new float[n];
                a[at] = bad;
                assertEquals(at, NonFinite.indexIn(a), bad + " at " + at);
            }
        }
        FloatBuffer extremes = buffer(n);
        extremes.put(7, Float.MAX_VALUE);
        extremes.put(8, -Float.MAX_VALUE);
        extremes.put(9, Float.MIN_VALUE);
        assertEquals(-1, NonFinite.indexIn(extremes), "the largest finite values are finite");
        assertEquals(-1, NonFinite.indexIn(new float[0]));
    }

    private static FloatBuffer buffer(int n) {
        FloatBuffer b =
                ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            b.put(i, (i % 7) - 3.5f);
        }
        return b;
    }
}
