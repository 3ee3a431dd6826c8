package dev.resnetdsl.training.loop;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to train: the required run folder, epoch count and batch size come through {@link #of}, everything
 * else has a default and a {@code withX} method.
 *
 * <pre>{@code
 * TrainerOptions options = TrainerOptions.of(dir, 10, 128).withLrSchedule("multistep:0.1:5").withResume(true);
 * }</pre>
 *
 * @param dir where {@code metrics.csv} goes (the bundle folder)
 * @param epochs the total number of epochs the run should reach (a resumed run continues up to it)
 * @param batchSize images per step
 * @param seed seeds the data order and augmentation (default 1)
 * @param lrSchedule a schedule in {@link LrSchedules} syntax, or {@code null} (the default) for
 *     {@code constant:learningRate}; on resume the checkpoint's schedule applies
 * @param learningRate the rate of the default constant schedule (default 0.1; the CLI passes the bundle's)
 * @param checkpointEvery also checkpoint every this many steps (default 0: only at the end of each epoch)
 * @param resume continue from the checkpoint's trainer state (default false)
 * @param augment apply the paper's pad-crop-flip augmentation to training images (default false)
 * @param unitVariance scale inputs to unit variance after mean subtraction (default false; see
 *     {@link dev.resnetdsl.training.data.Normalization})
 */
public record TrainerOptions(
        Path dir,
        int epochs,
        int batchSize,
        long seed,
        String lrSchedule,
        double learningRate,
        int checkpointEvery,
        boolean resume,
        boolean augment,
        boolean unitVariance) {

    public TrainerOptions {
        Objects.requireNonNull(dir, "dir");
        if (epochs <= 0) {
            throw new IllegalArgumentException("the number of epochs must be at least 1, not " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("the batch size must be at least 1, not " + batchSize);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("the checkpoint interval must be ≥ 0 steps, not " + checkpointEvery);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, not " + learningRate);
        }
    }

    /** Options for training in {@code dir} up to {@code epochs} epochs of {@code batchSize} images per step. */
    public static TrainerOptions of(Path dir, int epochs, int batchSize) {
        return new TrainerOptions(dir, epochs, batchSize, 1, null, 0.1, 0, false, false, false);
    }

    /** With another batch size. */
    public TrainerOptions withBatchSize(int size) {
        return new TrainerOptions(
                dir, epochs, size, seed, lrSchedule, learningRate, checkpointEvery, resume, augment, unitVariance);
    }

    /** With another data-order and augmentation seed. */
    public TrainerOptions withSeed(long newSeed) {
        return new TrainerOptions(
                dir,
                epochs,
                batchSize,
                newSeed,
                lrSchedule,
                learningRate,
                checkpointEvery,
                resume,
                augment,
                unitVariance);
    }

    /** With a learning-rate schedule in {@link LrSchedules} syntax ({@code null}: constant at the learning rate). */
    public TrainerOptions withLrSchedule(String schedule) {
        return new TrainerOptions(
                dir, epochs, batchSize, seed, schedule, learningRate, checkpointEvery, resume, augment, unitVariance);
    }

    /** With another rate for the default constant schedule. */
    public TrainerOptions withLearningRate(double rate) {
        return new TrainerOptions(
                dir, epochs, batchSize, seed, lrSchedule, rate, checkpointEvery, resume, augment, unitVariance);
    }

    /** Also checkpointing every {@code steps} steps (0: only after each epoch). */
    public TrainerOptions withCheckpointEvery(int steps) {
        return new TrainerOptions(
                dir, epochs, batchSize, seed, lrSchedule, learningRate, steps, resume, augment, unitVariance);
    }

    /** Continuing the checkpoint's run ({@code true}) or refusing to train a model already trained. */
    public TrainerOptions withResume(boolean newResume) {
        return new TrainerOptions(
                dir,
                epochs,
                batchSize,
                seed,
                lrSchedule,
                learningRate,
                checkpointEvery,
                newResume,
                augment,
                unitVariance);
    }

    /** With or without the paper's pad-crop-flip augmentation. */
    public TrainerOptions withAugment(boolean newAugment) {
        return new TrainerOptions(
                dir,
                epochs,
                batchSize,
                seed,
                lrSchedule,
                learningRate,
                checkpointEvery,
                resume,
                newAugment,
                unitVariance);
    }

    /** With or without scaling inputs to unit variance after mean subtraction. */
    public TrainerOptions withUnitVariance(boolean newUnitVariance) {
        return new TrainerOptions(
                dir,
                epochs,
                batchSize,
                seed,
                lrSchedule,
                learningRate,
                checkpointEvery,
                resume,
                augment,
                newUnitVariance);
    }
}
