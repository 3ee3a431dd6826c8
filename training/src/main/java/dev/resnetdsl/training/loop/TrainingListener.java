package dev.resnetdsl.training.loop;

import java.util.List;

/**
 * What the trainer reports while it runs. Presentation (the CLI's progress bar and error-curve plots) attaches
 * here, so the training module itself never prints or draws.
 */
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

    /**
     * An epoch finished, was evaluated and checkpointed.
     *
     * @param metrics the epoch's row of {@code metrics.csv}
     * @param history every row of the run so far, this one last (including epochs before a resume)
     */
    default void epochDone(EpochMetrics metrics, List<EpochMetrics> history) {}

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

    /** A listener that passes every event to each of {@code listeners}, in order. */
    static TrainingListener all(List<TrainingListener> listeners) {
        List<TrainingListener> copy = List.copyOf(listeners);
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int firstBatch, int batches) {
                copy.forEach(l -> l.epochStarted(epoch, epochs, firstBatch, batches));
            }

            @Override
            public void stepDone(StepProgress progress) {
                copy.forEach(l -> l.stepDone(progress));
            }

            @Override
            public void evaluating(int epoch) {
                copy.forEach(l -> l.evaluating(epoch));
            }

            @Override
            public void epochDone(EpochMetrics metrics, List<EpochMetrics> history) {
                copy.forEach(l -> l.epochDone(metrics, history));
            }

            @Override
            public void message(String text) {
                copy.forEach(l -> l.message(text));
            }
        };
    }
}
