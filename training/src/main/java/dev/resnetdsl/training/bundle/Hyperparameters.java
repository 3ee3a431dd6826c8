package dev.resnetdsl.training.bundle;

/**
 * SGD hyper-parameters of a training bundle. Momentum, weight decay and Nesterov are baked into the
 * training graph; the learning rate given here is only the default a trainer starts from, because the
 * graph takes the learning rate as an input on every step so that it can be scheduled.
 *
 * @param learningRate default learning rate (&gt; 0)
 * @param momentum momentum factor μ in [0, 1)
 * @param weightDecay L2 weight decay in PyTorch's form (added to the gradient), ≥ 0
 * @param nesterov Nesterov momentum; needs momentum &gt; 0
 */
public record Hyperparameters(float learningRate, float momentum, float weightDecay, boolean nesterov) {
    public Hyperparameters {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
        }
    }

    /** The paper's CIFAR settings: lr 0.1, momentum 0.9, weight decay 1e-4, no Nesterov. */
    public static Hyperparameters defaults() {
        return new Hyperparameters(0.1f, 0.9f, 1e-4f, false);
    }
}
