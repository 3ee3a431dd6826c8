package dev.resnetdsl.spark.train;

import dev.resnetdsl.training.data.Batch;
import java.io.Serializable;

/** Where a worker's batches come from inside its task: its cached share of the data set, or a batch shipped whole. */
interface WorkerBatches extends Serializable {
    /** Worker {@code worker}'s part of global batch {@code index} of {@code epoch}. */
    Batch batch(int worker, int epoch, int index);
}
