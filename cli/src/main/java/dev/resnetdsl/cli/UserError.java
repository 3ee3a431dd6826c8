package dev.resnetdsl.cli;

/**
 * An error caused by the user's input (a bad file, a missing path, an impossible option). The CLI prints
 * its message on one line and exits with status 1, never with a stack trace.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
