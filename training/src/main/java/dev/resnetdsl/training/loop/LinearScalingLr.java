package dev.resnetdsl.training.loop;

import java.util.Map;

/**
 * Linear learning-rate scaling with gradual warm-up (Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training
 * ImageNet in 1 Hour"): a schedule tuned for batches of b images, used with batches of k·b (k workers, say), runs at
 * k times its rate; the factor grows linearly from 1 to k over the first N iterations, because the full rate from the
 * first step makes early training unstable. Written {@code scale:K:Nit+SCHEDULE}; the schedule after {@code +} keeps
 * its own clock and state.
 */
public final class LinearScalingLr implements LrSchedule {
    private final double factor;
    private final long warmUpIterations;
    private final LrSchedule then;

    /**
     * @param factor k, the multiplier once warm-up is over (&gt; 0)
     * @param warmUpIterations N, the iterations over which the multiplier grows from 1 to k (0: k from the start)
     * @param then the schedule being scaled
     */
    public LinearScalingLr(double factor, long warmUpIterations, LrSchedule then) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("the scaling factor must be a positive number, got " + factor);
        }
        if (warmUpIterations < 0) {
            throw new IllegalArgumentException("warm-up iterations must be ≥ 0, got " + warmUpIterations);
        }
        this.factor = factor;
        this.warmUpIterations = warmUpIterations;
        this.then = then;
    }

    /** The multiplier at {@code iteration}. */
    public double multiplier(long iteration) {
        if (iteration >= warmUpIterations) {
            return factor;
        }
        return 1 + (factor - 1) * iteration / (double) warmUpIterations;
    }

    @Override
    public double lr(long iteration, int epoch) {
        return then.lr(iteration, epoch) * multiplier(iteration);
    }

    @Override
    public void observe(long iteration, double trainError) {
        then.observe(iteration, trainError);
    }

    @Override
    public Map<String, String> state() {
        return then.state();
    }

    @Override
    public void restore(Map<String, String> state) {
        then.restore(state);
    }

    @Override
    public String spec() {
        return "scale:" + LrSchedules.number(factor) + ":" + warmUpIterations + "it+" + then.spec();
    }
}
