package dev.resnetdsl.spark.train;

import java.io.Serializable;

/**
 * Called inside a worker's Spark task before each of its local steps; it travels with the task, so it must be
 * serialisable. Tests use it to make a task fail on purpose and see Spark run it again.
 */
@FunctionalInterface
public interface WorkerHook extends Serializable {
    /**
     * @param roundStep the global step count at the start of the round (it identifies the round)
     * @param worker the worker, 0 … W−1
     * @param localStep the step within the round, 0 … K−1
     */
    void beforeStep(long roundStep, int worker, int localStep);

    /** Does nothing. */
    WorkerHook NONE = NoHook.INSTANCE;

    /** An enum, so that {@link #NONE} stays one instance through serialisation. */
    enum NoHook implements WorkerHook {
        INSTANCE;

        @Override
        public void beforeStep(long roundStep, int worker, int localStep) {}
    }
}
