package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.Remedy;
import java.io.IOException;

/** A checkpoint could not be written (a full disk, say); the previous checkpoint is intact. */
public final class CheckpointWriteException extends IOException implements Remedy.Carrier {
    private static final long serialVersionUID = 1L;

    public CheckpointWriteException(String message, IOException cause) {
        super(message, cause);
    }

    @Override
    public Remedy remedy() {
        return Remedy.FREE_SPACE_AND_RESUME;
    }
}
