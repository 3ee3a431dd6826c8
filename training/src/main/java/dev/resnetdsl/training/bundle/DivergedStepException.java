package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.Remedy;

/**
 * A training step produced a non-finite loss or state (NaN or infinity), so it was not applied: the bundle's
 * in-memory model and its checkpoint are as before the step. Usually the learning rate is too high for the data;
 * it is bad input, not a bug.
 */
public final class DivergedStepException extends IllegalArgumentException implements Remedy.Carrier {
    private static final long serialVersionUID = 1L;

    public DivergedStepException(String message) {
        super(message);
    }

    @Override
    public Remedy remedy() {
        return Remedy.LOWER_LEARNING_RATE;
    }
}
