package dev.resnetdsl.spark.train;

import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.EvalResult;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.bundle.TrainingState;
import dev.resnetdsl.training.data.BatchMaker;
import dev.resnetdsl.training.loop.EpochBatches;
import dev.resnetdsl.training.loop.StepEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Synchronous data-parallel training through Spark, as one more {@link StepEngine} under the single-machine trainer
 * (its loop, schedule, evaluation, checkpoints, metrics and resume are the same code).
 *
 * <p>A round is one Spark job over W partitions, one per worker: the driver broadcasts the averaged state
 * (parameters, momentum buffers, BN running statistics), each worker task ({@link WorkerRound}) takes K local steps
 * from it on its own batches with its executor's cached bundle, and {@code treeAggregate} sums the workers' states
 * on the way back; the driver divides by W and keeps the mean in its own bundle, which evaluates and checkpoints. With
 * K = 1 this is the gradient averaging of one large batch; with K &gt; 1 it is local SGD. BN normalises each worker's
 * batch with that batch's own statistics, as PyTorch's DistributedDataParallel does without SyncBatchNorm.
 *
 * <p>The workers' data: during training, each holds its share of the training set ({@link DataShards}), broadcast
 * once; {@link #step(Tensor, Tensor, float)} ships one batch with the round instead, split in W consecutive parts.
 */
public final class SparkEngine implements StepEngine {
    /** Checkpoint keys recording how a data-parallel run was spread, so a resume can insist on the same. */
    static final String WORKERS_KEY = "dataparallel.workers";

    static final String AVERAGE_EVERY_KEY = "dataparallel.average_every";

    private final JavaSparkContext jsc;
    private final TrainingBundle driver;
    private final DataParallelOptions options;
    private final Broadcast<BundleFiles> files;
    private final String bundleKey;
    private final JavaRDD<Integer> workers;
    private BatchMaker sharedFrom;
    private ShardBatches shares;

    private SparkEngine(
            JavaSparkContext jsc,
            TrainingBundle driver,
            DataParallelOptions options,
            Broadcast<BundleFiles> files,
            String bundleKey) {
        this.jsc = jsc;
        this.driver = driver;
        this.options = options;
        this.files = files;
        this.bundleKey = bundleKey;
        this.workers =
                jsc.parallelize(IntStream.range(0, options.workers()).boxed().toList(), options.workers());
    }

    /**
     * Opens the bundle in {@code dir} on the driver (whose sessions evaluate, with every core) and ships its files to
     * the workers.
     *
     * @throws IllegalArgumentException when the checkpoint was trained by another worker count or averaging interval
     */
    public static SparkEngine open(SparkSession spark, Path dir, DataParallelOptions options) throws IOException {
        BundleFiles bundle = BundleFiles.read(dir);
        TrainingBundle driver = TrainingBundle.open(dir, SessionSettings.of(options.device()));
        try {
            checkSameSpread(driver.extraState(), options);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            return new SparkEngine(jsc, driver, options, jsc.broadcast(bundle), bundle.key());
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    private static void checkSameSpread(Map<String, String> extra, DataParallelOptions options) {
        String w = extra.get(WORKERS_KEY);
        String k = extra.get(AVERAGE_EVERY_KEY);
        if (w == null || k == null) {
            return;
        }
        if (!w.equals(Integer.toString(options.workers())) || !k.equals(Integer.toString(options.averageEvery()))) {
            throw new IllegalArgumentException("the checkpoint was trained by " + w + " workers averaging every " + k
                    + " steps, not " + options.workers() + " averaging every " + options.averageEvery()
                    + "; the data order depends on both, so continue with the same");
        }
    }

    /** The driver's bundle: the averaged model. */
    public TrainingBundle bundle() {
        return driver;
    }

    /** How the run is spread. */
    public DataParallelOptions options() {
        return options;
    }

    @Override
    public int stepsPerCall() {
        return options.averageEvery();
    }

    /**
     * One synchronous round of one step on a batch the driver holds: worker i steps on the i-th of W equal consecutive
     * parts, and the model becomes the workers' mean.
     *
     * @throws IllegalArgumentException when the batch does not split into W parts of at least two images
     */
    @Override
    public StepResult step(Tensor input, Tensor labels, float learningRate) {
        ShippedBatches parts = ShippedBatches.split(input, labels, options.workers());
        return round(parts, 0, 0, new float[] {learningRate}).get(0);
    }

    /** K local steps per worker on its share of the training set, then the average. */
    @Override
    public List<StepResult> steps(EpochBatches batches, int first, float[] rates) {
        if (sharedFrom != batches.maker()) {
            List<BatchMaker> makers = DataShards.split(batches.maker(), options.workers());
            List<Broadcast<BatchMaker>> broadcasts = new ArrayList<>(makers.size());
            for (BatchMaker m : makers) {
                broadcasts.add(jsc.broadcast(m));
            }
            if (shares != null) {
                shares.destroy();
            }
            shares = new ShardBatches(broadcasts);
            sharedFrom = batches.maker();
        }
        return round(shares, batches.epoch(), first, rates);
    }

    private List<StepResult> round(WorkerBatches data, int epoch, int first, float[] rates) {
        TrainingState before = driver.state();
        Broadcast<TrainingState> start = jsc.broadcast(before);
        try {
            jsc.setJobDescription(String.format(
                    Locale.ROOT,
                    "resnet-spark round at step %d: %d step(s) on %d workers",
                    before.step(),
                    rates.length,
                    options.workers()));
            WorkerRound work = new WorkerRound(
                    files,
                    bundleKey,
                    options.workerSettings(),
                    start,
                    data,
                    epoch,
                    first,
                    rates.clone(),
                    options.hook());
            RoundSum sum = workers.mapPartitionsWithIndex(work, false)
                    .treeAggregate(RoundSum.empty(), RoundSum::add, RoundSum::add, depth(options.workers()));
            if (sum.workers() != options.workers()) {
                throw new IllegalStateException(
                        sum.workers() + " of " + options.workers() + " workers reported back from the round");
            }
            driver.restore(sum.meanState(before, before.step() + rates.length));
            return sum.steps();
        } finally {
            jsc.setJobDescription(null);
            start.destroy();
        }
    }

    /** Tree depth so that no node combines more than about 8 workers' vectors. */
    private static int depth(int workers) {
        int d = 1;
        for (long fan = 8; fan < workers; fan *= 8) {
            d++;
        }
        return Math.max(2, d);
    }

    @Override
    public EvalResult evaluate(Tensor input, Tensor labels) {
        return driver.evaluate(input, labels);
    }

    @Override
    public long step() {
        return driver.step();
    }

    @Override
    public void setEpoch(int epoch) {
        driver.setEpoch(epoch);
    }

    @Override
    public void saveCheckpoint(Map<String, String> extraState) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>(extraState);
        if (shares != null) {
            // Trained on worker shares: a resume must deal the data the same way.
            extra.put(WORKERS_KEY, Integer.toString(options.workers()));
            extra.put(AVERAGE_EVERY_KEY, Integer.toString(options.averageEvery()));
        }
        driver.saveCheckpoint(extra);
    }

    @Override
    public Map<String, String> extraState() {
        return driver.extraState();
    }

    @Override
    public Optional<Preprocessing> preprocessing() {
        return driver.preprocessing();
    }

    @Override
    public void recordPreprocessing(Preprocessing preprocessing) throws IOException {
        driver.recordPreprocessing(preprocessing);
    }

    @Override
    public void close() {
        if (shares != null) {
            shares.destroy();
            shares = null;
        }
        files.destroy();
        driver.close();
    }
}
