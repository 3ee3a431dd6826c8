package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PadCropFlipTest {
    private static final int C = 3;
    private static final int H = 32;
    private static final int W = 32;

    /** Distinct positive values, so every output pixel can be traced to its source. */
    private static float[] image() {
        float[] x = new float[C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void withoutPaddingOrFlipItIsTheIdentity() {
        float[] src = image();
        float[] dst = new float[src.length];
        new PadCropFlip(0, false).apply(src, C, H, W, dst, 0, new SplitMix64(5));
        assertArrayEquals(src, dst);
    }

    @Test
    void everyOutputIsAShiftedPossiblyMirroredCopyOrZero() {
        float[] src = image();
        Set<String> seen = new HashSet<>();
        for (int sample = 0; sample < 400; sample++) {
            float[] dst = new float[src.length + 7];
            new PadCropFlip(4, true).apply(src, C, H, W, dst, 7, new SplitMix64(sample));
            // Recover the transform from an interior pixel and check all pixels follow it.
            float v = dst[7 + 16 * W + 16];
            int i = (int) v - 1;
            int sy = i % (H * W) / W;
            int sx = i % W;
            int dy = sy - 16;
            // Left-to-right order in the output tells a mirror image apart from a shift.
            boolean mirrored = dst[7 + 16 * W + 17] < v;
            int dx = mirrored ? sx - (W - 1 - 16) : sx - 16;
            assertTrue(Math.abs(dy) <= 4 && Math.abs(dx) <= 4, "shift within the padding");
            seen.add(dy + "," + dx + "," + mirrored);
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        int yy = y + dy;
                        int xx = (mirrored ? W - 1 - x : x) + dx;
                        float expected = yy < 0 || yy >= H || xx < 0 || xx >= W ? 0 : src[c * H * W + yy * W + xx];
                        assertEquals(expected, dst[7 + c * H * W + y * W + x]);
                    }
                }
            }
        }
        // 9 × 9 shifts × 2 flips = 162 transforms; 400 draws cover most of them.
        assertTrue(seen.size() > 120, "crops and flips vary: " + seen.size());
    }

    @Test
    void theSameSampleGeneratorGivesTheSameCrop() {
        float[] src = image();
        float[] a = new float[src.length];
        float[] b = new float[src.length];
        EpochOrder order = new EpochOrder(3, 100);
        PadCropFlip.paper().apply(src, C, H, W, a, 0, order.sampleRandom(4, 17));
        PadCropFlip.paper().apply(src, C, H, W, b, 0, order.sampleRandom(4, 17));
        assertArrayEquals(a, b);
    }
}
