package dev.resnetdsl.training.data;

/**
 * The SplitMix64 generator (Steele, Lea, Flood 2014), written out here rather than taken from
 * {@code java.util.SplittableRandom} so that the data order is fixed by this file and not by whichever JDK
 * runs it: a checkpoint made on one JVM must resume with the same shuffles on another.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    /** A generator whose output is fully determined by {@code seed}. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** A seed derived from several values, so that e.g. (seed, epoch) pairs give unrelated streams. */
    public static long mix(long... values) {
        long h = 0x6A09E667F3BCC909L;
        for (long v : values) {
            h = finalise(h ^ finalise(v + GOLDEN_GAMMA));
        }
        return h;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return finalise(state);
    }

    /** A uniform integer in {@code [0, bound)}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // Lemire's multiply-and-reject on 32 random bits.
        long r = nextLong() >>> 32;
        long m = r * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                r = nextLong() >>> 32;
                m = r * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniform double in {@code [0, 1)} from the top 53 bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A fair coin. */
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
