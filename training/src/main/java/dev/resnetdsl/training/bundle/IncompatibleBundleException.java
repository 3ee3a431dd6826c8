package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.Remedy;
import java.io.IOException;

/**
 * A training bundle's files do not belong together or to this version of the tools (another format version, a
 * graph built for another network). Its training state cannot be used; a new bundle can.
 */
public final class IncompatibleBundleException extends IOException implements Remedy.Carrier {
    private static final long serialVersionUID = 1L;

    public IncompatibleBundleException(String message) {
        super(message);
    }

    @Override
    public Remedy remedy() {
        return Remedy.NEW_BUNDLE;
    }
}
