package dev.resnetdsl.cli;

import dev.resnetdsl.cli.plot.CurveFiles;
import dev.resnetdsl.cli.progress.ConsoleProgress;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.data.DataSource;
import dev.resnetdsl.training.data.TrainTestData;
import dev.resnetdsl.training.loop.BundleEngine;
import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.Trainer;
import dev.resnetdsl.training.loop.TrainerOptions;
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

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "images per step (default: 128)")
    int batch;

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

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "data order and augmentation seed")
    long seed;

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
        if (batch < 1) {
            throw new UserError("--batch must be at least 1, not " + batch);
        }
        if (checkpointEvery < 0) {
            throw new UserError("--checkpoint-every must be ≥ 0, not " + checkpointEvery);
        }
        DataSource source = DataSource.parse(data);
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such training bundle directory (make one with resnet train-artifacts)");
        }
        try (BundleEngine engine = BundleEngine.open(dir, device.device())) {
            Manifest manifest = engine.bundle().manifest();
            int[] chw = manifest.inputShape();
            TrainTestData sets = source.load(chw[0], chw[1], chw[2], manifest.classes());
            out.printf(
                    Locale.ROOT,
                    "%s: %s, %d training and %d test images (%s) on %s%n",
                    dir,
                    manifest.model(),
                    sets.train().size(),
                    sets.test().size(),
                    source,
                    device);
            out.flush();
            String label = dir.toAbsolutePath().normalize().getFileName().toString();
            TrainerOptions options = TrainerOptions.of(dir, epochs, batch)
                    .withSeed(seed)
                    .withLrSchedule(lrSchedule)
                    // The manifest stores a float; its shortest decimal (0.1) is what the user typed.
                    .withLearningRate(Double.parseDouble(
                            Float.toString(manifest.hyperparameters().learningRate())))
                    .withCheckpointEvery(checkpointEvery)
                    .withResume(resume)
                    .withAugment(augment != null ? augment : source.augmentsByDefault())
                    .withUnitVariance(source.unitVarianceByDefault());
            boolean terminal = System.console() != null;
            ConsoleProgress progress = new ConsoleProgress(out, terminal);
            TrainingListener listener = TrainingListener.all(List.of(progress, new CurveFiles(dir, label, progress)));
            List<EpochMetrics> rows = new Trainer(engine, sets, options, listener).run();
            if (!rows.isEmpty()) {
                EpochMetrics last = rows.get(rows.size() - 1);
                out.printf(
                        Locale.ROOT,
                        "test accuracy %.2f%% after %d epochs (%.1f s); metrics in %s, curves in %s%n",
                        100 * last.testAcc(),
                        last.epoch(),
                        last.seconds(),
                        dir.resolve(Trainer.METRICS),
                        dir.resolve(CurveFiles.PNG));
            }
        }
        return 0;
    }
}
