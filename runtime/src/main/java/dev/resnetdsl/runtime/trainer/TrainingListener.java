package dev.resnetdsl.runtime.trainer;

/** What the trainer reports while it runs; the progress bar and log lines implement it. */
public interface TrainingListener {
    /**
     * An epoch starts (or resumes).
     *
     * @param epoch 0-based epoch
     * @param epochs total epochs of the run
     * @param firstBatch the batch it starts at (non-zero when resuming mid-epoch)
     * @param batches batches per epoch
     */
    default void epochStarted(int epoch, int epochs, int firstBatch, int batches) {}

    /** A step finished. */
    default void stepDone(StepProgress progress) {}

    /** Test-set evaluation is running. */
    default void evaluating(int epoch) {}

    /** An epoch finished and was evaluated. */
    default void epochDone(EpochMetrics metrics) {}

    /** Something worth a line of its own (resumed, checkpoint written, …). */
    default void message(String text) {}

    /**
     * The state after one step.
     *
     * @param epoch 0-based epoch
     * @param epochs total epochs
     * @param batch 0-based batch index just completed
     * @param batches batches per epoch
     * @param iteration optimizer steps taken in total, including this one
     * @param loss mean training loss over this epoch's steps so far
     * @param accuracy training accuracy over this epoch's steps so far, 0–1
     * @param imagesPerSecond training throughput since the epoch (or the resumed part of it) began
     * @param lr the rate used for this step
     * @param batchSize images per step
     */
    record StepProgress(
            int epoch,
            int epochs,
            int batch,
            int batches,
            long iteration,
            double loss,
            double accuracy,
            double imagesPerSecond,
            double lr,
            int batchSize) {}

    /** A listener that ignores everything. */
    TrainingListener SILENT = new TrainingListener() {};
}
