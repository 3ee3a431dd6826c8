package dev.resnetdsl.spark.cli;

import dev.resnetdsl.cli.UserError;
import dev.resnetdsl.cli.plot.CurveFiles;
import dev.resnetdsl.cli.progress.ConsoleProgress;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.spark.train.LinearScaling;
import dev.resnetdsl.spark.train.SparkTraining;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.data.DataSource;
import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.Trainer;
import dev.resnetdsl.training.loop.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet-spark train DIR --data KIND:PATH --epochs N --batch B --workers W [--average-every K]}: trains a
 * training bundle with W Spark tasks per round, averaging every K steps; checkpoints, {@code metrics.csv}, curves and
 * progress as {@code resnet train} has them.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train the model of a training bundle data-parallel on Spark: W workers, each stepping on its"
                + " share of every global batch, average parameters, momentum and BN statistics every K steps."
                + " Checkpoints after every epoch (and every N rounds); --resume continues an interrupted run exactly.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the training bundle (from resnet train-artifacts)")
    Path dir;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "KIND:PATH",
            description = "mnist:DIR, cifar10:DIR or folder:DIR, read by the driver (workers get their shares)")
    String data;

    @Option(names = "--epochs", required = true, paramLabel = "N", description = "train until N epochs are complete")
    int epochs;

    @Option(
            names = "--batch",
            defaultValue = "128",
            paramLabel = "B",
            description = "the global batch, split evenly over the workers (default: 128)")
    int batch;

    @Option(names = "--workers", required = true, paramLabel = "W", description = "Spark tasks per round")
    int workers;

    @Option(
            names = "--average-every",
            defaultValue = "1",
            paramLabel = "K",
            description = "local steps between averagings (default: 1, the same as averaging gradients)")
    int averageEvery;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--resume", description = "continue from the checkpoint: same data order, schedule and state")
    boolean resume;

    @Option(
            names = "--lr-schedule",
            paramLabel = "SCHEDULE",
            description = "as resnet train's (default: constant at the bundle's learning rate)")
    String lrSchedule;

    @Option(
            names = "--scale-lr",
            paramLabel = "REF",
            description = "linear scaling (Goyal et al. 2017): the schedule's rates are for batches of REF images;"
                    + " multiply them by B/REF")
    Integer scaleFrom;

    @Option(
            names = "--warmup-epochs",
            defaultValue = "5",
            paramLabel = "E",
            description = "with --scale-lr: reach the scaled rate linearly over E epochs (default: 5)")
    double warmUpEpochs;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "0",
            paramLabel = "N",
            description = "also checkpoint every N rounds (default: only after each epoch)")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "data order and augmentation seed")
    long seed;

    @Option(
            names = "--val-split",
            defaultValue = "0",
            paramLabel = "F",
            description = "folder data without a test folder: hold out this fraction of each class")
    double valSplit;

    @Option(
            names = "--augment",
            negatable = true,
            description = "the paper's 4-pixel pad, random crop and flip (default: on for cifar10, off otherwise)")
    Boolean augment;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "T",
            description = "ONNX Runtime threads per worker; match spark.task.cpus (default: 1)")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = "cpu, cuda or cuda:N")
    String device;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (epochs < 1) {
            throw new UserError("--epochs must be at least 1, not " + epochs);
        }
        if (batch < 2) {
            throw new UserError("--batch must be at least 2, not " + batch);
        }
        if (workers < 1) {
            throw new UserError("--workers must be at least 1, not " + workers);
        }
        if (batch % workers != 0 || batch / workers < 2) {
            throw new UserError("--batch " + batch + " must be a multiple of --workers " + workers
                    + " with at least 2 images per worker");
        }
        if (averageEvery < 1) {
            throw new UserError("--average-every must be at least 1, not " + averageEvery);
        }
        if (checkpointEvery < 0) {
            throw new UserError("--checkpoint-every must be ≥ 0, not " + checkpointEvery);
        }
        if (scaleFrom != null && scaleFrom < 1) {
            throw new UserError("--scale-lr must be a batch size of at least 1, not " + scaleFrom);
        }
        if (!(warmUpEpochs >= 0)) {
            throw new UserError("--warmup-epochs must be ≥ 0, not " + warmUpEpochs);
        }
        DataSource source = DataSource.parse(data);
        if (!Files.isRegularFile(dir.resolve(Manifest.FILE))) {
            throw new UserError(
                    dir + ": not a training bundle (no " + Manifest.FILE + "; make one with resnet train-artifacts)");
        }
        Manifest manifest = Manifest.read(dir.resolve(Manifest.FILE));
        String label = dir.toAbsolutePath().normalize().getFileName().toString();
        ConsoleProgress progress = new ConsoleProgress(out, System.console() != null);
        SparkTraining training = SparkTraining.of(dir, data, epochs, workers)
                .withTraining(t -> t.withOptions(o -> o.withLrSchedule(lrSchedule)
                                .withSeed(seed)
                                .withCheckpointEvery(Math.multiplyExact(checkpointEvery, averageEvery))
                                .withResume(resume)
                                .withAugment(augment != null ? augment : source.augmentsByDefault())
                                .withBatchSize(batch))
                        .withValidationSplit(valSplit)
                        .withListener(TrainingListener.all(List.of(progress, new CurveFiles(dir, label, progress)))))
                .withParallel(p -> p.withAverageEvery(averageEvery)
                        .withThreadsPerWorker(threads)
                        .withDevice(Device.parse(device)))
                .withScaling(scaleFrom == null ? null : new LinearScaling(scaleFrom, warmUpEpochs));
        List<EpochMetrics> rows;
        try (DriverSession session = DriverSession.open(master, "resnet-spark train " + label)) {
            rows = training.run(session.spark(), sets -> {
                out.printf(
                        Locale.ROOT,
                        "%s: %s, %d training and %d %s images (%s) on %s: %d workers of %d images, averaging every"
                                + " %d step(s)%n",
                        dir,
                        manifest.model(),
                        sets.train().size(),
                        sets.test().size(),
                        valSplit > 0 ? "validation" : "test",
                        source,
                        session.master(),
                        workers,
                        batch / workers,
                        averageEvery);
                out.flush();
            });
        }
        if (!rows.isEmpty()) {
            EpochMetrics last = rows.get(rows.size() - 1);
            out.printf(
                    Locale.ROOT,
                    "%s accuracy %.2f%% after %d epochs (%.1f s); metrics in %s, curves in %s%n",
                    valSplit > 0 ? "validation" : "test",
                    100 * last.testAcc(),
                    last.epoch(),
                    last.seconds(),
                    dir.resolve(Trainer.METRICS),
                    dir.resolve(CurveFiles.PNG));
        }
        return 0;
    }
}
