package dev.resnetdsl.api;

import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.data.DataRequest;
import dev.resnetdsl.training.data.DataSource;
import dev.resnetdsl.training.data.TrainTestData;
import dev.resnetdsl.training.loop.BundleEngine;
import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.StepEngine;
import dev.resnetdsl.training.loop.Trainer;
import dev.resnetdsl.training.loop.TrainerOptions;
import dev.resnetdsl.training.loop.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Trains a training bundle on a data set, as {@code resnet train} does: the data read as the bundle's
 * preprocessing says (or as the data decides, for a bundle never trained), then the trainer.
 *
 * <pre>{@code
 * List<EpochMetrics> history = Training.of(Path.of("runs/birds"), "folder:photos/birds", 10)
 *         .withOptions(o -> o.withLrSchedule("cosine:0.01"))
 *         .withValidationSplit(0.2)
 *         .run();
 * }</pre>
 *
 * @param bundle the training bundle (from {@link FineTuning#writeBundle} or {@code resnet train-artifacts})
 * @param data the data set as {@code KIND:PATH}: {@code mnist:DIR}, {@code cifar10:DIR} or {@code folder:DIR}
 * @param options epochs, batch size, schedule, resume, … ({@link TrainerOptions}; its folder is the bundle's)
 * @param validationSplit fraction of each class held out as the test set for a folder without {@code test/}
 * @param device where ONNX Runtime runs
 * @param listener progress, epoch results and messages
 * @param microBatches micro-batches each batch is split into for gradient accumulation ({@link BundleEngine});
 *     1 = none
 */
public record Training(
        Path bundle,
        String data,
        TrainerOptions options,
        double validationSplit,
        Device device,
        TrainingListener listener,
        int microBatches) {
    public Training {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(listener, "listener");
        if (microBatches < 1) {
            throw new IllegalArgumentException("micro-batches per step must be ≥ 1, got " + microBatches);
        }
        if (microBatches > 1 && (options.batchSize() % microBatches != 0 || options.batchSize() / microBatches < 2)) {
            throw new IllegalArgumentException("a batch of " + options.batchSize() + " does not split into "
                    + microBatches + " micro-batches of equal size with at least 2 images each");
        }
    }

    /** Training {@code bundle} on {@code data} for {@code epochs} epochs of 128 images, on the CPU, silently. */
    public static Training of(Path bundle, String data, int epochs) {
        return new Training(
                bundle, data, TrainerOptions.of(bundle, epochs, 128), 0, Device.CPU, TrainingListener.SILENT, 1);
    }

    /** With other trainer options (the function receives the current ones). */
    public Training withOptions(java.util.function.UnaryOperator<TrainerOptions> change) {
        return new Training(bundle, data, change.apply(options), validationSplit, device, listener, microBatches);
    }

    /** Holding out {@code fraction} of each class as the test set (seeded by the options' seed). */
    public Training withValidationSplit(double fraction) {
        return new Training(bundle, data, options, fraction, device, listener, microBatches);
    }

    /** On another device. */
    public Training withDevice(Device d) {
        return new Training(bundle, data, options, validationSplit, d, listener, microBatches);
    }

    /** Reporting to {@code l}. */
    public Training withListener(TrainingListener l) {
        return new Training(bundle, data, options, validationSplit, device, l, microBatches);
    }

    /**
     * Splitting each batch into {@code count} micro-batches run one after another, their updates averaged: the
     * result of the whole batch (BN aside, see {@link BundleEngine}) at the memory of one micro-batch.
     */
    public Training withMicroBatches(int count) {
        return new Training(bundle, data, options, validationSplit, device, listener, count);
    }

    /**
     * Trains; returns the metrics of every epoch of the run (before a resume included). The default constant
     * learning rate is the bundle's hyper-parameter; a schedule in the options chooses others.
     */
    public List<EpochMetrics> run() throws IOException {
        return run(loaded -> {});
    }

    /**
     * Trains, telling {@code onLoaded} about the data once it is read (for a report of its size).
     */
    public List<EpochMetrics> run(java.util.function.Consumer<TrainTestData> onLoaded) throws IOException {
        try (BundleEngine engine = BundleEngine.open(bundle, device, microBatches)) {
            TrainTestData sets = loadData(engine.bundle().manifest());
            onLoaded.accept(sets);
            return run(engine, engine.bundle().manifest(), sets);
        }
    }

    /**
     * Reads the data set as the bundle described by {@code manifest} sees it: its input shape and classes, resized as
     * its preprocessing says (or as the data decides, for a bundle never trained), with the validation split.
     */
    public TrainTestData loadData(Manifest manifest) throws IOException {
        int[] chw = manifest.inputShape();
        DataRequest request = DataRequest.of(chw[0], chw[1], chw[2], manifest.classes())
                .withResize(
                        manifest.preprocessing() == null
                                ? null
                                : manifest.preprocessing().resize())
                .withValidationSplit(validationSplit, options.seed());
        return DataSource.parse(data).load(request);
    }

    /**
     * Trains through {@code engine} — this training's bundle, opened by the caller (a data-parallel engine, say) —
     * on data read by {@link #loadData}. The default constant learning rate is the bundle's hyper-parameter.
     */
    public List<EpochMetrics> run(StepEngine engine, Manifest manifest, TrainTestData sets) throws IOException {
        // The manifest stores a float; its shortest decimal (0.1) is what the user typed.
        TrainerOptions withRate = options.withLearningRate(
                Double.parseDouble(Float.toString(manifest.hyperparameters().learningRate())));
        return new Trainer(engine, sets, withRate, listener).run();
    }
}
