package dev.resnetdsl.spark.train;

/**
 * Linear learning-rate scaling with gradual warm-up (Goyal et al. 2017): the schedule's rates were tuned for batches
 * of {@code referenceBatch} images; a run with a global batch k times larger multiplies them by k, reaching the full
 * factor linearly over the first {@code warmUpEpochs} epochs.
 *
 * @param referenceBatch the batch size the schedule was tuned for (≥ 1)
 * @param warmUpEpochs epochs over which the factor grows from 1 to k (≥ 0; Goyal et al. use 5)
 */
public record LinearScaling(int referenceBatch, double warmUpEpochs) {
    public LinearScaling {
        if (referenceBatch < 1) {
            throw new IllegalArgumentException("the reference batch size must be at least 1, not " + referenceBatch);
        }
        if (!(warmUpEpochs >= 0) || !Double.isFinite(warmUpEpochs)) {
            throw new IllegalArgumentException("warm-up epochs must be ≥ 0, not " + warmUpEpochs);
        }
    }

    /**
     * {@code schedule} scaled for a global batch of {@code batch} images, in the schedule syntax
     * ({@code scale:K:Nit+…}).
     */
    public String apply(String schedule, int batch, int batchesPerEpoch) {
        if (schedule.trim().startsWith("scale:")) {
            throw new IllegalArgumentException("the schedule " + schedule + " is already scaled");
        }
        double factor = (double) batch / referenceBatch;
        long warmUp = Math.round(warmUpEpochs * batchesPerEpoch);
        return "scale:" + dev.resnetdsl.training.loop.LrSchedules.number(factor) + ":" + warmUp + "it+"
                + schedule.trim();
    }
}
