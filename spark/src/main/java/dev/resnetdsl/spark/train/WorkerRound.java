package dev.resnetdsl.spark.train;

import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.spark.ExecutorCache;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.bundle.TrainingState;
import dev.resnetdsl.training.data.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One worker's part of a round, run as a Spark task (partition i is worker i): borrow a bundle from the executor's
 * pool, load the round's starting state into it, take the round's K steps on this worker's batches, and return the
 * resulting state with the steps' results. It reads only broadcasts and its own arguments, and a round always starts
 * from the broadcast state, so Spark may run the task again — on another executor, after a failure — with the same
 * result.
 */
final class WorkerRound implements Function2<Integer, Iterator<Integer>, Iterator<RoundSum>> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<BundleFiles> bundle;
    private final String bundleKey;
    private final SessionSettings settings;
    private final Broadcast<TrainingState> start;
    private final WorkerBatches batches;
    private final int epoch;
    private final int first;
    private final float[] rates;
    private final WorkerHook hook;

    WorkerRound(
            Broadcast<BundleFiles> bundle,
            String bundleKey,
            SessionSettings settings,
            Broadcast<TrainingState> start,
            WorkerBatches batches,
            int epoch,
            int first,
            float[] rates,
            WorkerHook hook) {
        this.bundle = bundle;
        this.bundleKey = bundleKey;
        this.settings = settings;
        this.start = start;
        this.batches = batches;
        this.epoch = epoch;
        this.first = first;
        this.rates = rates;
        this.hook = hook;
    }

    /** The executor cache's key for the pool of bundles of one model run with {@code settings}. */
    static String poolKey(String bundleKey, SessionSettings settings) {
        return "training:" + bundleKey + ":" + settings.device() + ":" + settings.intraOpThreads();
    }

    @Override
    public Iterator<RoundSum> call(Integer worker, Iterator<Integer> ignored) {
        // bundle.value() only on a miss: an executor that holds the pool never fetches the graphs again.
        WorkerBundles pool = ExecutorCache.get(
                poolKey(bundleKey, settings),
                WorkerBundles.class,
                () -> WorkerBundles.create(bundle.value(), settings));
        TrainingBundle b;
        try {
            b = pool.borrow();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "worker " + worker + " could not open the training bundle: " + e.getMessage(), e);
        }
        try {
            TrainingState state = start.value();
            b.restore(state);
            List<StepResult> results = new ArrayList<>(rates.length);
            for (int j = 0; j < rates.length; j++) {
                hook.beforeStep(state.step(), worker, j);
                Batch batch = batches.batch(worker, epoch, first + j);
                results.add(b.step(batch.input(), batch.labels(), rates[j]));
            }
            return List.of(RoundSum.of(b.state(), results)).iterator();
        } finally {
            pool.giveBack(b);
        }
    }
}
