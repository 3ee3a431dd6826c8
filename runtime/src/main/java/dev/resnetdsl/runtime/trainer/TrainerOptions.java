package dev.resnetdsl.runtime.trainer;

import java.nio.file.Path;

/**
 * How to train.
 *
 * @param dir where {@code metrics.csv} and the curves go (the bundle folder)
 * @param epochs the total number of epochs the run should reach (a resumed run continues up to it)
 * @param batchSize images per step
 * @param seed seeds the data order and augmentation
 * @param lrSchedule a schedule in {@link LrSchedules} syntax, or {@code null} for
 *     {@code constant:defaultLr} (on resume: the checkpoint's schedule)
 * @param defaultLr the rate of the default schedule (the bundle's hyper-parameter)
 * @param checkpointEvery also checkpoint every this many steps (0: only at the end of each epoch)
 * @param resume continue from the checkpoint's trainer state
 * @param augment apply the paper's pad-crop-flip augmentation to training images
 * @param unitVariance scale inputs to unit variance after mean subtraction (see
 *     {@link dev.resnetdsl.runtime.data.Normalization})
 * @param runLabel the run's name in plots
 */
public record TrainerOptions(
        Path dir,
        int epochs,
        int batchSize,
        long seed,
        String lrSchedule,
        double defaultLr,
        int checkpointEvery,
        boolean resume,
        boolean augment,
        boolean unitVariance,
        String runLabel) {

    public TrainerOptions {
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs must be at least 1, not " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch must be at least 1, not " + batchSize);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be ≥ 0, not " + checkpointEvery);
        }
        if (!(defaultLr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, not " + defaultLr);
        }
    }
}
