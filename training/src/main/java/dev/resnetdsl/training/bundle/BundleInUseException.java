package dev.resnetdsl.training.bundle;

import java.io.IOException;

/**
 * Another process (or another part of this one) holds the lock of a training bundle, so this one may not write it.
 * The message names the holder as it recorded itself: process id, host, start time and command.
 */
public final class BundleInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    public BundleInUseException(String message) {
        super(message);
    }
}
