package dev.resnetdsl.training.data;

/**
 * The order in which an epoch visits the training images: a Fisher–Yates shuffle driven by a generator
 * seeded from (seed, epoch) alone. The whole data-order state is therefore two numbers, which a
 * checkpoint stores; resuming at (epoch, batch) reproduces exactly the batches an uninterrupted run sees.
 */
public final class EpochOrder implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final int size;

    /** The orders of a data set of {@code size} images under {@code seed}. */
    public EpochOrder(long seed, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("cannot shuffle an empty data set");
        }
        this.seed = seed;
        this.size = size;
    }

    public long seed() {
        return seed;
    }

    public int size() {
        return size;
    }

    /** The permutation of image indices for {@code epoch} (0-based). */
    public int[] permutation(int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplitMix64 rng = new SplitMix64(SplitMix64.mix(seed, epoch, 0x5348_5546L));
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The generator for the random augmentation of the image at {@code position} of {@code epoch}'s order:
     * one independent stream per sample, so batches can be prepared on any thread, in any order, and a
     * resumed run draws the same crops and flips.
     */
    public SplitMix64 sampleRandom(int epoch, int position) {
        return new SplitMix64(SplitMix64.mix(seed, epoch, position, 0x4155_474DL));
    }
}
