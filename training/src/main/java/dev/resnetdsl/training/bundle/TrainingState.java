package dev.resnetdsl.training.bundle;

/**
 * The part of a model in training that changes with every step, as flat vectors in the manifest's layouts: what
 * data-parallel workers start a round from and what they average at its end.
 *
 * @param params the trainable parameters ({@link Manifest#parameterLayout()})
 * @param momentum the momentum buffers, in the same layout
 * @param stats the BN running statistics ({@link Manifest#statisticsLayout()})
 * @param step optimizer steps taken so far
 */
public record TrainingState(float[] params, float[] momentum, float[] stats, long step)
        implements java.io.Serializable {
    public TrainingState {
        if (params == null || momentum == null || stats == null) {
            throw new IllegalArgumentException("a training state needs parameters, momentum and statistics");
        }
        if (params.length != momentum.length) {
            throw new IllegalArgumentException("a training state has " + params.length + " parameters but "
                    + momentum.length + " momentum values");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be ≥ 0, got " + step);
        }
    }
}
