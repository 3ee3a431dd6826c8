package dev.resnetdsl.training.loop;

import dev.resnetdsl.training.data.Batch;
import dev.resnetdsl.training.data.BatchMaker;

/**
 * The training batches of one epoch, as the trainer offers them to its {@link StepEngine}: made here, one at a time
 * ({@link #batch}), or — for an engine whose workers hold the data — described by the {@link #maker()} that makes them,
 * so the batches can be made where the data lives.
 */
public interface EpochBatches {
    /** The 0-based epoch. */
    int epoch();

    /** How the epoch's batches are made: data, normalisation, augmentation, order and batch size. */
    BatchMaker maker();

    /**
     * Batch {@code index} of the epoch, made here (prepared ahead on a background thread when asked for in increasing
     * order).
     */
    Batch batch(int index);
}
