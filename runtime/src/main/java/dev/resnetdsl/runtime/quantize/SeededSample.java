package dev.resnetdsl.runtime.quantize;

import java.util.Arrays;

/**
 * Which images calibrate: {@code n} of {@code total} chosen by a seed, the same on every JVM (a partial
 * Fisher–Yates shuffle driven by SplitMix64, written out here so the choice is fixed by this file and not by a JDK's
 * random number generator), returned in ascending order.
 */
public final class SeededSample {
    private SeededSample() {}

    /** {@code n} distinct indices in {@code [0, total)}, ascending; all of them when {@code n ≥ total}. */
    public static int[] choose(int total, int n, long seed) {
        if (total < 0 || n < 0) {
            throw new IllegalArgumentException("cannot choose " + n + " of " + total);
        }
        int[] all = new int[total];
        for (int i = 0; i < total; i++) {
            all[i] = i;
        }
        if (n >= total) {
            return all;
        }
        long state = seed;
        for (int i = 0; i < n; i++) {
            state += 0x9E3779B97F4A7C15L;
            long bits = mix(state) >>> 1;
            int j = i + (int) (bits % (total - i));
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, n);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The indices {@link #choose} leaves out, ascending. */
    public static int[] rest(int total, int[] chosen) {
        boolean[] taken = new boolean[total];
        for (int i : chosen) {
            taken[i] = true;
        }
        int[] rest = new int[total - chosen.length];
        int k = 0;
        for (int i = 0; i < total; i++) {
            if (!taken[i]) {
                rest[k++] = i;
            }
        }
        return rest;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
