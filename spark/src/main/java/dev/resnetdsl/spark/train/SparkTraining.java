package dev.resnetdsl.spark.train;

import dev.resnetdsl.api.Training;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.data.TrainTestData;
import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.TrainerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * Trains a training bundle data-parallel on Spark, as {@code resnet-spark train} does: the single-machine
 * {@link Training} (bundle, data set, trainer options, listener) run through a {@link SparkEngine}. The options'
 * batch size is the global batch, split evenly over the workers.
 *
 * <pre>{@code
 * List<EpochMetrics> history = SparkTraining.of(Path.of("runs/mnist"), "mnist:/data/mnist", 2, 2)
 *         .withParallel(p -> p.withAverageEvery(4))
 *         .withTraining(t -> t.withOptions(o -> o.withBatchSize(128)))
 *         .run(spark);
 * }</pre>
 *
 * @param training what to train on what, as on one machine (its device is ignored: {@code parallel} says)
 * @param parallel workers, averaging interval, threads per worker
 * @param scaling linear learning-rate scaling with warm-up, or {@code null} for none
 */
public record SparkTraining(Training training, DataParallelOptions parallel, LinearScaling scaling) {
    public SparkTraining {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(parallel, "parallel");
    }

    /** Training {@code bundle} on {@code data} for {@code epochs} epochs of 128 images over {@code workers} workers. */
    public static SparkTraining of(Path bundle, String data, int epochs, int workers) {
        return new SparkTraining(Training.of(bundle, data, epochs), DataParallelOptions.of(workers), null);
    }

    /** With the single-machine description changed. */
    public SparkTraining withTraining(UnaryOperator<Training> change) {
        return new SparkTraining(change.apply(training), parallel, scaling);
    }

    /** With the spread changed. */
    public SparkTraining withParallel(UnaryOperator<DataParallelOptions> change) {
        return new SparkTraining(training, change.apply(parallel), scaling);
    }

    /** With linear learning-rate scaling ({@code null}: none). */
    public SparkTraining withScaling(LinearScaling s) {
        return new SparkTraining(training, parallel, s);
    }

    /** Trains on {@code spark}; returns the metrics of every epoch of the run (before a resume included). */
    public List<EpochMetrics> run(SparkSession spark) throws IOException {
        return run(spark, loaded -> {});
    }

    /** Trains, telling {@code onLoaded} about the data once the driver has read it. */
    public List<EpochMetrics> run(SparkSession spark, Consumer<TrainTestData> onLoaded) throws IOException {
        Path dir = training.bundle();
        Manifest manifest = Manifest.read(dir.resolve(Manifest.FILE));
        TrainTestData sets = training.loadData(manifest);
        onLoaded.accept(sets);
        Training scaled = training;
        if (scaling != null) {
            TrainerOptions o = training.options();
            String base = o.lrSchedule() != null
                    ? o.lrSchedule()
                    : "constant:" + Float.toString(manifest.hyperparameters().learningRate());
            String schedule = scaling.apply(base, o.batchSize(), sets.train().size() / o.batchSize());
            scaled = training.withOptions(opt -> opt.withLrSchedule(schedule));
        }
        try (SparkEngine engine = SparkEngine.open(spark, dir, parallel)) {
            return scaled.run(engine, engine.bundle().manifest(), sets);
        }
    }
}
