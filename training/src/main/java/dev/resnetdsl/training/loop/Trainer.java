package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.Remedy;
import dev.resnetdsl.runtime.inference.PredictionCsv;
import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.training.bundle.DivergedStepException;
import dev.resnetdsl.training.bundle.EvalResult;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.data.Augmentation;
import dev.resnetdsl.training.data.Batch;
import dev.resnetdsl.training.data.BatchMaker;
import dev.resnetdsl.training.data.EpochOrder;
import dev.resnetdsl.training.data.ImageDataset;
import dev.resnetdsl.training.data.PadCropFlip;
import dev.resnetdsl.training.data.PixelStatistics;
import dev.resnetdsl.training.data.Prefetcher;
import dev.resnetdsl.training.data.TrainTestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a model ({@link StepEngine}) on a data set: shuffled, augmented batches prepared on a background
 * thread; the learning-rate schedule; evaluation on the test set after every epoch; {@code metrics.csv}
 * in the run folder (the listener hears every epoch with the whole history, for curves or a progress bar);
 * and a checkpoint after every epoch and every {@code checkpointEvery} steps that records where in the data order the run is, so
 * that {@code resume} continues with exactly the batches an uninterrupted run would have seen.
 *
 * <pre>{@code
 * try (StepEngine engine = BundleEngine.open(dir, Device.CPU)) {
 *     new Trainer(engine, DataSource.parse("mnist:data/mnist").load(1, 28, 28, 10), options,
 *             TrainingListener.SILENT).run();
 * }
 * }</pre>
 */
public final class Trainer {
    /** The metrics file in the run folder. */
    public static final String METRICS = "metrics.csv";
    /** The last evaluation's prediction for every test image: {@code image,label,predicted}. */
    public static final String PREDICTIONS = "predictions.csv";

    private static final int PREFETCH_DEPTH = 3;
    private static final int EVAL_BATCH = 500;

    private final StepEngine engine;
    private final TrainTestData data;
    private final TrainerOptions options;
    private final TrainingListener listener;

    public Trainer(StepEngine engine, TrainTestData data, TrainerOptions options, TrainingListener listener) {
        this.engine = engine;
        this.data = data;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Trains until {@code options.epochs()} epochs are complete.
     *
     * @return the metrics of every completed epoch of the run (including those before a resume)
     */
    /**
     * The batch size the engine's checkpoint was trained with, if it holds trainer state: a resumed run must use
     * it, so a caller that was not told a batch size takes this one.
     */
    public static java.util.OptionalInt savedBatchSize(StepEngine engine) {
        return savedBatchSize(engine.extraState());
    }

    /** {@link #savedBatchSize(StepEngine)} of the bundle in {@code dir}, from its checkpoint's header alone. */
    public static java.util.OptionalInt savedBatchSize(Path dir) throws IOException {
        return savedBatchSize(dev.resnetdsl.training.bundle.TrainingBundle.savedExtraState(dir));
    }

    private static java.util.OptionalInt savedBatchSize(Map<String, String> saved) {
        return TrainerState.present(saved)
                ? java.util.OptionalInt.of(TrainerState.fromMap(saved).batchSize)
                : java.util.OptionalInt.empty();
    }

    public List<EpochMetrics> run() throws IOException {
        int batches = data.train().size() / options.batchSize();
        TrainerState state = initialState(batches);
        LrSchedule schedule = LrSchedules.parse(state.schedule, (long) options.epochs() * batches);
        if (!state.scheduleState.isEmpty()) {
            schedule.restore(state.scheduleState);
        }

        Path metricsFile = options.dir().resolve(METRICS);
        List<EpochMetrics> history =
                new ArrayList<>(MetricsCsv.keepBefore(MetricsCsv.read(metricsFile), state.epoch + 1));
        if (state.epoch >= options.epochs()) {
            listener.message("already trained " + state.epoch + " epochs (asked for " + options.epochs()
                    + "); nothing to do — ask for more epochs to train further");
            return history;
        }

        Preprocessing preprocessing = preprocessing();
        Normalization norm = preprocessing.normalization();
        Augmentation augmentation = options.augment() ? PadCropFlip.paper() : Augmentation.NONE;
        EpochOrder order = new EpochOrder(state.seed, data.train().size());
        BatchMaker train = data.trainCrops()
                ? BatchMaker.randomCrops(
                        data.train(),
                        norm,
                        order,
                        options.batchSize(),
                        data.test().height(),
                        data.test().width())
                : new BatchMaker(data.train(), norm, augmentation, order, options.batchSize());
        BatchMaker test = new BatchMaker(
                data.test(), norm, Augmentation.NONE, null, Math.min(EVAL_BATCH, Math.max(options.batchSize(), 1)));
        long startNanos = System.nanoTime();
        double secondsBefore = state.seconds;

        while (state.epoch < options.epochs()) {
            int epoch = state.epoch;
            listener.epochStarted(epoch, options.epochs(), state.batchInEpoch, batches);
            long epochStart = System.nanoTime();
            long imagesThisRun = 0;
            try (PrefetchedEpoch epochBatches = new PrefetchedEpoch(train, epoch, batches)) {
                while (state.batchInEpoch < batches) {
                    int first = state.batchInEpoch;
                    int count = Math.min(Math.max(1, engine.stepsPerCall()), batches - first);
                    long iteration = engine.step();
                    // Rates for the whole call are decided before it; a schedule that watches the error (warm-up
                    // until error < x) therefore sees the results of a call only after it, up to K-1 steps late.
                    double[] lrs = new double[count];
                    float[] rates = new float[count];
                    for (int j = 0; j < count; j++) {
                        lrs[j] = schedule.lr(iteration + j, epoch);
                        rates[j] = (float) lrs[j];
                    }
                    List<StepResult> results;
                    try {
                        results = engine.steps(epochBatches, first, rates);
                    } catch (DivergedStepException e) {
                        // The bundle refused to commit a non-finite state; the last checkpoint is the place to
                        // resume from, with a lower rate.
                        throw new TrainingRunException("training diverged: " + e.getMessage(), e.remedy());
                    }
                    if (results.size() != count) {
                        throw new IllegalStateException(
                                "the engine returned " + results.size() + " results for " + count + " steps");
                    }
                    for (int j = 0; j < count; j++) {
                        StepResult r = results.get(j);
                        // An input problem (too high a rate), not a bug: reported as bad input, exit status 1.
                        if (!Double.isFinite(r.loss())) {
                            throw new TrainingRunException(
                                    "training diverged: the loss of step " + (iteration + j + 1) + " is " + r.loss()
                                            + " (learning rate " + LrSchedules.number(lrs[j]) + ")",
                                    Remedy.LOWER_LEARNING_RATE);
                        }
                        state.lossSum += (double) r.loss() * r.batchSize();
                        state.correct += r.correct();
                        state.seen += r.batchSize();
                        state.batchInEpoch = first + j + 1;
                        state.lastLr = lrs[j];
                        schedule.observe(iteration + j, 1.0 - (double) r.correct() / r.batchSize());
                        imagesThisRun += r.batchSize();
                        double elapsed = (System.nanoTime() - epochStart) / 1e9;
                        listener.stepDone(new TrainingListener.StepProgress(
                                epoch,
                                options.epochs(),
                                first + j,
                                batches,
                                iteration + j + 1,
                                state.lossSum / state.seen,
                                (double) state.correct / state.seen,
                                elapsed > 0 ? imagesThisRun / elapsed : 0,
                                lrs[j],
                                r.batchSize()));
                    }
                    // Every checkpointEvery steps: when a call of several steps passes a multiple, at its end.
                    if (options.checkpointEvery() > 0
                            && engine.step() / options.checkpointEvery() > iteration / options.checkpointEvery()
                            && state.batchInEpoch < batches) {
                        state.seconds = secondsBefore + (System.nanoTime() - startNanos) / 1e9;
                        checkpoint(state, schedule);
                    }
                }
            }

            listener.evaluating(epoch);
            double testLossSum = 0;
            long testCorrect = 0;
            long testCount = 0;
            int[] predicted = new int[data.test().size()];
            boolean allPredicted = true;
            int[] identity = test.permutation(0);
            try (Prefetcher<Batch> evalAhead = new Prefetcher<>(
                    b -> test.make(0, identity, b), 0, test.batchesPerEpoch(), PREFETCH_DEPTH, "resnet-test-data")) {
                while (evalAhead.hasNext()) {
                    Batch batch = evalAhead.next();
                    EvalResult e = engine.evaluate(batch.input(), batch.labels());
                    if (e.predicted().length == e.count()) {
                        System.arraycopy(e.predicted(), 0, predicted, (int) testCount, e.count());
                    } else {
                        allPredicted = false;
                    }
                    testLossSum += e.lossSum();
                    testCorrect += e.correct();
                    testCount += e.count();
                }
            }
            state.seconds = secondsBefore + (System.nanoTime() - startNanos) / 1e9;
            EpochMetrics metrics = new EpochMetrics(
                    epoch + 1,
                    state.lossSum / Math.max(1, state.seen),
                    (double) state.correct / Math.max(1, state.seen),
                    testLossSum / Math.max(1, testCount),
                    (double) testCorrect / Math.max(1, testCount),
                    state.lastLr,
                    state.seconds);
            history = new ArrayList<>(MetricsCsv.keepBefore(history, epoch + 1));
            history.add(metrics);
            // Metrics before the checkpoint: if we die in between, the resumed run redoes this epoch and its
            // row is replaced, rather than the row going missing.
            MetricsCsv.write(metricsFile, history);
            if (allPredicted) {
                writePredictions(predicted, preprocessing);
            }
            state.epoch = epoch + 1;
            state.batchInEpoch = 0;
            state.lossSum = 0;
            state.correct = 0;
            state.seen = 0;
            checkpoint(state, schedule);
            listener.epochDone(metrics, List.copyOf(history));
        }
        return history;
    }

    /** {@value #PREDICTIONS}: each test image, its label and the class the model predicts, by name. */
    private void writePredictions(int[] predicted, Preprocessing p) throws IOException {
        ImageDataset test = data.test();
        StringBuilder csv = new StringBuilder("image,label,predicted\n");
        for (int i = 0; i < predicted.length; i++) {
            csv.append(PredictionCsv.field(test.source(i)))
                    .append(',')
                    .append(PredictionCsv.field(p.className(test.labels()[i])))
                    .append(',')
                    .append(PredictionCsv.field(p.className(predicted[i])))
                    .append('\n');
        }
        AtomicFiles.writeString(options.dir().resolve(PREDICTIONS), csv.toString());
    }

    /**
     * The model's preprocessing: the one its engine records (a resumed run, or one decided when the bundle was
     * made), else fitted to the training set now and recorded before the first step, so that evaluation, export
     * and deployment apply exactly what training did.
     */
    private Preprocessing preprocessing() throws IOException {
        ImageDataset train = data.train();
        ImageDataset test = data.test();
        Optional<Preprocessing> recorded = engine.preprocessing();
        if (recorded.isPresent()) {
            Preprocessing p = recorded.get();
            if (p.channels() != test.channels()
                    || p.height() != test.height()
                    || p.width() != test.width()
                    || !p.resize().equals(data.resize())) {
                throw new IllegalArgumentException("the model's preprocessing (" + p.describe()
                        + ") does not match how the data set was read (" + test.shapeText() + ", " + data.resize()
                        + ")");
            }
            if (p.classNames().isEmpty() && !train.classNames().isEmpty()) {
                // A new head learns the data set's classes: name them.
                p = p.withClassNames(train.classNames());
                engine.recordPreprocessing(p);
            }
            return p;
        }
        // The paper's per-pixel mean for images at the model's size; per-channel statistics for photos, whose
        // training crops come from larger squares.
        Normalization fitted = data.trainCrops() || data.resize().mode() != Preprocessing.Resize.Mode.EXACT
                ? PixelStatistics.perChannel(train)
                : PixelStatistics.perPixelMean(train, options.unitVariance());
        Preprocessing p = new Preprocessing(
                data.resize(),
                test.height(),
                test.width(),
                Preprocessing.ColorMode.forChannels(test.channels()),
                fitted,
                train.classNames());
        engine.recordPreprocessing(p);
        return p;
    }

    private TrainerState initialState(int batches) {
        Map<String, String> saved = engine.extraState();
        boolean hasState = TrainerState.present(saved);
        String dataName = data.train().description();
        if (!options.resume()) {
            if (hasState || engine.step() > 0) {
                throw new TrainingRunException(
                        options.dir() + " holds a model that has already been trained (" + engine.step() + " steps)",
                        Remedy.RESUME);
            }
        }
        if (!hasState) {
            if (options.resume()) {
                listener.message("no trainer state in the checkpoint: starting from epoch 1");
            }
            TrainerState s = new TrainerState();
            s.seed = options.seed();
            s.batchSize = options.batchSize();
            s.data = dataName;
            s.trainSize = data.train().size();
            s.schedule =
                    options.lrSchedule() != null ? options.lrSchedule() : new ConstantLr(options.learningRate()).spec();
            // Validate the schedule text now, before any step.
            LrSchedules.parse(s.schedule, 1);
            return s;
        }
        TrainerState s = TrainerState.fromMap(saved);
        if (s.batchSize != options.batchSize()) {
            throw new TrainingRunException(
                    "the checkpoint was trained with batch size " + s.batchSize + ", not " + options.batchSize(),
                    Remedy.SAME_BATCH_SIZE);
        }
        if (s.trainSize != data.train().size()) {
            throw new IllegalArgumentException("the checkpoint was trained on " + s.trainSize + " images (" + s.data
                    + "), this data set has " + data.train().size());
        }
        if (options.lrSchedule() != null
                && !LrSchedules.parse(options.lrSchedule(), 1)
                        .spec()
                        .equals(LrSchedules.parse(s.schedule, 1).spec())) {
            throw new TrainingRunException(
                    "the checkpoint was trained with the learning-rate schedule " + s.schedule + ", not "
                            + options.lrSchedule(),
                    Remedy.SAME_SCHEDULE);
        }
        if (s.batchInEpoch > batches) {
            throw new IllegalArgumentException(
                    "the checkpoint is at batch " + s.batchInEpoch + " of an epoch with " + batches + " batches");
        }
        listener.message("resuming at epoch " + (s.epoch + 1) + ", batch " + (s.batchInEpoch + 1) + " (step "
                + engine.step() + ", data seed " + s.seed + ", schedule " + s.schedule + ")");
        return s;
    }

    private void checkpoint(TrainerState state, LrSchedule schedule) throws IOException {
        state.scheduleState = new java.util.LinkedHashMap<>(schedule.state());
        engine.setEpoch(state.epoch);
        try {
            engine.saveCheckpoint(state.toMap());
        } catch (IOException e) {
            throw new CheckpointWriteException(
                    "could not write the checkpoint in " + options.dir() + " (" + e.getMessage()
                            + "); the previous checkpoint is intact",
                    e);
        }
    }
}
