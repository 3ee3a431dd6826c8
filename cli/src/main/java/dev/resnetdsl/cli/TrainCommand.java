package dev.resnetdsl.cli;

import dev.resnetdsl.api.Training;
import dev.resnetdsl.cli.plot.CurveFiles;
import dev.resnetdsl.cli.progress.ConsoleProgress;
import dev.resnetdsl.cli.progress.TerminalWidth;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet train DIR --data KIND:PATH --epochs N [...]}: trains the model of a training bundle (made
 * by {@code resnet train-artifacts}) with the trainer, writing checkpoints, {@code metrics.csv} and the
 * error curves into the bundle folder.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train the model of a training bundle on a data set. Checkpoints after every epoch (and every"
                + " N steps), writes DIR/metrics.csv and DIR/curves.svg|png; --resume continues an interrupted run"
                + " exactly.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the training bundle (from resnet train-artifacts)")
    Path dir;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "KIND:PATH",
            description = "mnist:DIR (IDX files), cifar10:DIR (binary batches) or folder:DIR (DIR/train/<class>/*, "
                    + "DIR/test/<class>/*)")
    String data;

    @Option(
            names = "--epochs",
            required = true,
            paramLabel = "N",
            description = "train until N epochs are complete (a resumed run continues up to N)")
    int epochs;

    /** Used when {@code --batch} is not given and there is no checkpoint to resume. */
    static final int DEFAULT_BATCH = 128;

    @Option(
            names = "--batch",
            paramLabel = "B",
            description = "images per step (default: the checkpoint's with --resume, else " + DEFAULT_BATCH + ")")
    Integer batch;

    @Mixin
    DeviceOption device;

    @Option(names = "--resume", description = "continue from the checkpoint: same data order, schedule and state")
    boolean resume;

    @Option(
            names = "--lr-schedule",
            paramLabel = "SCHEDULE",
            description = "constant:LR | multistep:LR:E1,E2 (epochs) or :I1it,I2it (iterations) | cosine:LR |"
                    + " warmup:LR:Nit+… or warmup:LR:error<PERCENT+… (default: constant at the bundle's --lr)")
    String lrSchedule;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N",
            defaultValue = "0",
            description = "also checkpoint every N steps (default: only after each epoch)")
    int checkpointEvery;

    @Option(
            names = "--unit-variance",
            negatable = true,
            description = "when fitting a per-pixel mean, also scale inputs to unit variance (default: on for mnist and"
                    + " fashion-mnist, off otherwise); a bundle that records its preprocessing keeps it")
    Boolean unitVariance;

    @Option(
            names = "--accumulate",
            paramLabel = "M",
            defaultValue = "1",
            description = "split each batch into M micro-batches run one after another and average their updates:"
                    + " the batch's result at one micro-batch's memory (BN normalises each micro-batch on its own)")
    int accumulate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "data order and augmentation seed")
    long seed;

    @Option(
            names = "--val-split",
            paramLabel = "F",
            defaultValue = "0",
            description = "folder data without a test folder: hold out this fraction of each class (seeded by --seed)"
                    + " as the test set")
    double valSplit;

    @Option(
            names = "--augment",
            negatable = true,
            description = "the paper's 4-pixel pad, random crop and flip (default: on for cifar10, off otherwise)")
    Boolean augment;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (epochs < 1) {
            throw new UserError("--epochs must be at least 1, not " + epochs);
        }
        if (batch != null && batch < 1) {
            throw new UserError("--batch must be at least 1, not " + batch);
        }
        if (!(valSplit >= 0 && valSplit < 1)) {
            throw new UserError("--val-split must be a fraction in [0, 1), not " + valSplit);
        }
        if (checkpointEvery < 0) {
            throw new UserError("--checkpoint-every must be ≥ 0, not " + checkpointEvery);
        }
        if (accumulate < 1) {
            throw new UserError("--accumulate must be ≥ 1, not " + accumulate);
        }
        DataSource source = DataSource.parse(data);
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such training bundle directory (make one with resnet train-artifacts)");
        }
        if (!Files.isRegularFile(dir.resolve(Manifest.FILE))) {
            throw new UserError(
                    dir + ": not a training bundle (no " + Manifest.FILE + "; make one with resnet train-artifacts)");
        }
        Manifest manifest = Manifest.read(dir.resolve(Manifest.FILE));
        String label = dir.toAbsolutePath().normalize().getFileName().toString();
        // A resumed run must keep the checkpoint's batch size: take it rather than fail against it.
        int batchSize =
                batch != null ? batch : resume ? Trainer.savedBatchSize(dir).orElse(DEFAULT_BATCH) : DEFAULT_BATCH;
        boolean terminal = System.console() != null;
        ConsoleProgress progress =
                new ConsoleProgress(out, terminal, terminal ? TerminalWidth.detect() : TerminalWidth.DEFAULT);
        Training training = Training.of(dir, data, epochs)
                .withOptions(o -> o.withLrSchedule(lrSchedule)
                        .withSeed(seed)
                        .withCheckpointEvery(checkpointEvery)
                        .withResume(resume)
                        .withAugment(augment != null ? augment : source.augmentsByDefault())
                        .withUnitVariance(unitVariance != null ? unitVariance : source.unitVarianceByDefault())
                        .withBatchSize(batchSize))
                .withValidationSplit(valSplit)
                .withMicroBatches(accumulate)
                .withDevice(device.device())
                .withListener(TrainingListener.all(List.of(progress, new CurveFiles(dir, label, progress))));
        List<EpochMetrics> rows;
        try (InterruptHint hint = InterruptHint.install(spec.commandLine().getErr(), resumeCommand(batchSize))) {
            rows = training.run(sets -> {
                out.printf(
                        Locale.ROOT,
                        "%s: %s, %d training and %d %s images (%s) on %s%n",
                        dir,
                        manifest.model(),
                        sets.train().size(),
                        sets.test().size(),
                        valSplit > 0 ? "validation" : "test",
                        source,
                        device);
                out.flush();
            });
        }
        NonFiniteWarning.count(
                spec.commandLine().getErr(),
                rows.stream()
                        .filter(r -> !Double.isFinite(r.trainLoss()) || !Double.isFinite(r.testLoss()))
                        .count(),
                rows.size(),
                "epochs' losses");
        if (!rows.isEmpty()) {
            EpochMetrics last = rows.get(rows.size() - 1);
            out.printf(
                    Locale.ROOT,
                    "%s accuracy %.2f%% after %d epochs (%.1f s); metrics in %s, curves in %s, predictions in %s%n",
                    valSplit > 0 ? "validation" : "test",
                    100 * last.testAcc(),
                    last.epoch(),
                    last.seconds(),
                    dir.resolve(Trainer.METRICS),
                    dir.resolve(CurveFiles.PNG),
                    dir.resolve(Trainer.PREDICTIONS));
        }
        return 0;
    }

    /** The command that continues this run, as the interrupt hint prints it. */
    private String resumeCommand(int batchSize) {
        return "resnet train " + dir + " --data " + data + " --epochs " + epochs + " --batch " + batchSize
                + (lrSchedule != null ? " --lr-schedule " + lrSchedule : "")
                + (accumulate > 1 ? " --accumulate " + accumulate : "") + " --resume";
    }
}
