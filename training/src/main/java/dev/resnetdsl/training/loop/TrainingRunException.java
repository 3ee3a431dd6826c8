package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.Remedy;

/**
 * A training run cannot go on as asked: the options contradict the checkpoint, or the loss diverged. The
 * message says what happened; {@link #remedy()} what the user can change. It is bad input, not a bug.
 */
public final class TrainingRunException extends IllegalArgumentException implements Remedy.Carrier {
    private static final long serialVersionUID = 1L;
    private final Remedy remedy;

    public TrainingRunException(String message, Remedy remedy) {
        super(message);
        this.remedy = remedy;
    }

    @Override
    public Remedy remedy() {
        return remedy;
    }
}
