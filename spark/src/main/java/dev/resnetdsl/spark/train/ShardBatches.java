package dev.resnetdsl.spark.train;

import dev.resnetdsl.training.data.Batch;
import dev.resnetdsl.training.data.BatchMaker;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * Each worker's batches made from its share of the data set ({@link DataShards}), broadcast once per run: Spark keeps
 * a broadcast value in each executor's memory, so a share crosses the network once per executor, not once per round.
 */
final class ShardBatches implements WorkerBatches {
    private static final long serialVersionUID = 1L;

    private final List<Broadcast<BatchMaker>> shares;
    /** The permutation of the epoch being made, per task (the task's copy of this object lives one round). */
    private transient int permutationEpoch = -1;

    private transient int[] permutation;

    ShardBatches(List<Broadcast<BatchMaker>> shares) {
        this.shares = List.copyOf(shares);
    }

    @Override
    public Batch batch(int worker, int epoch, int index) {
        BatchMaker maker = shares.get(worker).value();
        if (permutationEpoch != epoch || permutation == null) {
            permutation = maker.permutation(epoch);
            permutationEpoch = epoch;
        }
        return maker.make(epoch, permutation, index);
    }

    /** Frees the shares on the executors and the driver. */
    void destroy() {
        for (Broadcast<BatchMaker> b : shares) {
            b.destroy();
        }
    }
}
