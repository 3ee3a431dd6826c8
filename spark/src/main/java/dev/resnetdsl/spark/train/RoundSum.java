package dev.resnetdsl.spark.train;

import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What workers send back from a round, summed as Spark's tree aggregation combines them: the state (parameters,
 * momentum, BN statistics, one flat vector) and each local step's loss, correct count and image count. The driver
 * divides by the worker count; an empty sum (no worker yet) is the aggregation's zero, so no zero vector of the model's
 * size is shipped to every task.
 */
final class RoundSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private float[] state;
    private double[] loss;
    private long[] correct;
    private long[] images;
    private int workers;

    private RoundSum() {}

    /** The zero of the aggregation. */
    static RoundSum empty() {
        return new RoundSum();
    }

    /** One worker's contribution. */
    static RoundSum of(TrainingState s, List<StepResult> steps) {
        RoundSum r = new RoundSum();
        int p = s.params().length;
        int m = s.momentum().length;
        r.state = new float[p + m + s.stats().length];
        System.arraycopy(s.params(), 0, r.state, 0, p);
        System.arraycopy(s.momentum(), 0, r.state, p, m);
        System.arraycopy(s.stats(), 0, r.state, p + m, s.stats().length);
        r.loss = new double[steps.size()];
        r.correct = new long[steps.size()];
        r.images = new long[steps.size()];
        for (int j = 0; j < steps.size(); j++) {
            r.loss[j] = steps.get(j).loss();
            r.correct[j] = steps.get(j).correct();
            r.images[j] = steps.get(j).batchSize();
        }
        r.workers = 1;
        return r;
    }

    /** {@code a + b}, reusing {@code a}'s arrays (Spark hands each combination its own copies). */
    static RoundSum add(RoundSum a, RoundSum b) {
        if (a.workers == 0) {
            return b;
        }
        if (b.workers == 0) {
            return a;
        }
        if (a.state.length != b.state.length || a.loss.length != b.loss.length) {
            throw new IllegalStateException("workers returned states of different sizes");
        }
        for (int i = 0; i < a.state.length; i++) {
            a.state[i] += b.state[i];
        }
        for (int j = 0; j < a.loss.length; j++) {
            a.loss[j] += b.loss[j];
            a.correct[j] += b.correct[j];
            a.images[j] += b.images[j];
        }
        a.workers += b.workers;
        return a;
    }

    int workers() {
        return workers;
    }

    /** The mean state, in the layout of {@code like} (whose vector lengths it takes), at {@code step}. */
    TrainingState meanState(TrainingState like, long step) {
        int p = like.params().length;
        int m = like.momentum().length;
        int s = like.stats().length;
        if (state.length != p + m + s) {
            throw new IllegalStateException(
                    "workers returned " + state.length + " values, the model has " + (p + m + s));
        }
        float[] params = new float[p];
        float[] momentum = new float[m];
        float[] stats = new float[s];
        float w = workers;
        for (int i = 0; i < p; i++) {
            params[i] = state[i] / w;
        }
        for (int i = 0; i < m; i++) {
            momentum[i] = state[p + i] / w;
        }
        for (int i = 0; i < s; i++) {
            stats[i] = state[p + m + i] / w;
        }
        return new TrainingState(params, momentum, stats, step);
    }

    /**
     * Each local step as one global step: the mean of the workers' losses (their parts are equally large, so it is the
     * loss over the global batch), the correct and image counts summed.
     */
    List<StepResult> steps() {
        List<StepResult> out = new ArrayList<>(loss.length);
        for (int j = 0; j < loss.length; j++) {
            out.add(new StepResult((float) (loss[j] / workers), (int) correct[j], (int) images[j]));
        }
        return out;
    }
}
