package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.ort.DeviceUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one-line messages and exit statuses. Input problems exit 1; anything else is an
 * internal error (exit 2). A stack trace is printed only when the environment variable
 * {@code RESNET_DEBUG} is set.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    static final int USER_ERROR = 1;
    static final int INTERNAL_ERROR = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        boolean userError = ex instanceof UserError
                || ex instanceof IllegalArgumentException
                || ex instanceof IOException
                || ex instanceof UncheckedIOException
                // Asking for a device this machine or build lacks is a choice the user can change.
                || ex instanceof DeviceUnavailableException;
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (userError) {
            cmd.getErr().println("resnet: error: " + message);
        } else {
            cmd.getErr().println("resnet: internal error: " + ex.getClass().getSimpleName() + ": " + message);
            cmd.getErr().println("(set RESNET_DEBUG=1 for the stack trace; please report it)");
        }
        if (System.getenv("RESNET_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return userError ? USER_ERROR : INTERNAL_ERROR;
    }
}
