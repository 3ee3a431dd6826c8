package dev.resnetdsl.training.loop;

import dev.resnetdsl.training.data.Batch;
import dev.resnetdsl.training.data.BatchMaker;
import dev.resnetdsl.training.data.Prefetcher;

/**
 * An epoch's batches made on a background thread a few ahead of the one asked for, started on the first request: an
 * engine that makes its batches elsewhere never pays for making them here.
 */
final class PrefetchedEpoch implements EpochBatches, AutoCloseable {
    private static final int DEPTH = 3;

    private final BatchMaker maker;
    private final int epoch;
    private final int end;
    private int[] permutation;
    private Prefetcher<Batch> ahead;
    private int next = -1;

    /** Batches {@code 0 … end-1} of {@code epoch}. */
    PrefetchedEpoch(BatchMaker maker, int epoch, int end) {
        this.maker = maker;
        this.epoch = epoch;
        this.end = end;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public BatchMaker maker() {
        return maker;
    }

    @Override
    public Batch batch(int index) {
        if (index < 0 || index >= end) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + end);
        }
        if (ahead == null || index != next) {
            close();
            if (permutation == null) {
                permutation = maker.permutation(epoch);
            }
            int[] order = permutation;
            ahead = new Prefetcher<>(b -> maker.make(epoch, order, b), index, end, DEPTH, "resnet-train-data");
        }
        next = index + 1;
        return ahead.next();
    }

    @Override
    public void close() {
        if (ahead != null) {
            ahead.close();
            ahead = null;
        }
    }
}
