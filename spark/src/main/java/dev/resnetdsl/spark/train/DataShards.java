package dev.resnetdsl.spark.train;

import dev.resnetdsl.training.data.BatchMaker;
import dev.resnetdsl.training.data.EpochOrder;
import dev.resnetdsl.training.data.SplitMix64;
import java.util.ArrayList;
import java.util.List;

/**
 * How a training set is shared out between W workers: a shuffle seeded by the run's data seed (the same on every
 * resume) deals the images like cards, so worker i holds the images at positions i, i+W, i+2W, … of it — a random
 * split with the classes spread evenly — and the {@code size mod W} left over sit out. Each worker then visits its
 * share in an order of its own every epoch (seeded by the run's seed and i), B/W images per step: the global batch is
 * the union of the workers' parts, and the steps per epoch are those of a single process, ⌊N/B⌋.
 */
final class DataShards {
    private DataShards() {}

    /** The workers' batch makers, from the trainer's maker of global batches. */
    static List<BatchMaker> split(BatchMaker global, int workers) {
        int batch = global.batchSize();
        if (batch % workers != 0) {
            throw new IllegalArgumentException("a global batch of " + batch + " images does not split evenly over "
                    + workers + " workers; choose a batch that is a multiple of the worker count");
        }
        int per = batch / workers;
        if (per < 2) {
            throw new IllegalArgumentException("each worker's part of the batch would have " + per
                    + " image(s); batch normalisation needs at least 2, so the batch must be at least " + 2 * workers);
        }
        int n = global.data().size();
        int share = n / workers;
        long seed = global.order().seed();
        int[] dealt = new EpochOrder(SplitMix64.mix(seed, workers, 0x5348_4152_4453L), n).permutation(0);
        List<BatchMaker> makers = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            int[] mine = new int[share];
            for (int k = 0; k < share; k++) {
                mine[k] = dealt[i + k * workers];
            }
            makers.add(global.subset(mine, SplitMix64.mix(seed, i, 0x574F_524BL), per));
        }
        if (makers.get(0).batchesPerEpoch() < global.batchesPerEpoch()) {
            throw new IllegalStateException(
                    "worker shares hold " + makers.get(0).batchesPerEpoch() + " batches per epoch, the run needs "
                            + global.batchesPerEpoch());
        }
        return makers;
    }
}
