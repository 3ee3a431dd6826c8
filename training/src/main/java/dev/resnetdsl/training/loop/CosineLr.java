package dev.resnetdsl.training.loop;

/**
 * Cosine annealing from {@code base} to 0 over the whole run (Loshchilov and Hutter's SGDR without
 * restarts): {@code lr = base · ½ (1 + cos(π · iteration / totalIterations))}. Written
 * {@code cosine:LR}; the length is the run's, so changing {@code --epochs} on resume changes the curve.
 *
 * @param base the initial rate
 * @param totalIterations steps in the whole run
 */
public record CosineLr(double base, long totalIterations) implements LrSchedule {
    @Override
    public double lr(long iteration, int epoch) {
        double t = Math.min(1.0, (double) iteration / Math.max(1, totalIterations));
        return base * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public String spec() {
        return "cosine:" + LrSchedules.number(base);
    }
}
