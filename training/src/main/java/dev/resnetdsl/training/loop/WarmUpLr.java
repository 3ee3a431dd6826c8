package dev.resnetdsl.training.loop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A low constant rate before another schedule takes over, either for a fixed number of iterations
 * ({@code warmup:0.01:400it}) or — the paper's recipe for ResNet-110 — until the training error falls
 * below a threshold ({@code warmup:0.01:error<80}, percent). The main schedule keeps its own clock: after
 * warm-up it continues as if it had been running from step 0, as in the paper ("then go back to 0.1").
 *
 * <p>The training error is smoothed over steps (exponential moving average, factor 0.9) because a
 * single batch's error is noisy; the average and whether warm-up has ended are checkpoint state.
 */
public final class WarmUpLr implements LrSchedule {
    private final double warmLr;
    private final long iterations;
    private final double errorBelow;
    private final LrSchedule then;
    private boolean done;
    private double smoothedError = Double.NaN;

    private WarmUpLr(double warmLr, long iterations, double errorBelow, LrSchedule then) {
        if (warmLr <= 0) {
            throw new IllegalArgumentException("warm-up learning rate must be positive: " + warmLr);
        }
        this.warmLr = warmLr;
        this.iterations = iterations;
        this.errorBelow = errorBelow;
        this.then = then;
    }

    /** Warm-up for {@code iterations} steps. */
    public static WarmUpLr forIterations(double warmLr, long iterations, LrSchedule then) {
        return new WarmUpLr(warmLr, iterations, Double.NaN, then);
    }

    /** Warm-up until the smoothed training error is below {@code errorBelow} (0–1). */
    public static WarmUpLr untilErrorBelow(double warmLr, double errorBelow, LrSchedule then) {
        if (!(errorBelow > 0 && errorBelow <= 1)) {
            throw new IllegalArgumentException("warm-up error threshold must be in (0, 100]%: " + errorBelow * 100);
        }
        return new WarmUpLr(warmLr, -1, errorBelow, then);
    }

    /** Whether warm-up has ended. */
    public boolean done() {
        return done;
    }

    @Override
    public double lr(long iteration, int epoch) {
        if (iterations >= 0) {
            return iteration < iterations ? warmLr : then.lr(iteration, epoch);
        }
        return done ? then.lr(iteration, epoch) : warmLr;
    }

    @Override
    public void observe(long iteration, double trainError) {
        smoothedError = Double.isNaN(smoothedError) ? trainError : 0.9 * smoothedError + 0.1 * trainError;
        if (iterations < 0 && !done && smoothedError < errorBelow) {
            done = true;
        }
        then.observe(iteration, trainError);
    }

    @Override
    public Map<String, String> state() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("warmup.done", Boolean.toString(done));
        s.put("warmup.error", Double.toString(smoothedError));
        then.state().forEach(s::put);
        return s;
    }

    @Override
    public void restore(Map<String, String> state) {
        String d = state.get("warmup.done");
        String e = state.get("warmup.error");
        if (d == null || e == null) {
            throw new IllegalArgumentException("checkpoint lacks the warm-up state of schedule " + spec());
        }
        done = Boolean.parseBoolean(d);
        smoothedError = Double.parseDouble(e);
        then.restore(state);
    }

    @Override
    public String spec() {
        String until = iterations >= 0 ? iterations + "it" : "error<" + LrSchedules.number(errorBelow * 100);
        return "warmup:" + LrSchedules.number(warmLr) + ":" + until + "+" + then.spec();
    }
}
