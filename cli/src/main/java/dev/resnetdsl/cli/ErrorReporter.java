package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.Remedy;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one-line messages and exit statuses. Input problems exit 1; anything else is an
 * internal error (exit 2). A stack trace is printed only when the environment variable
 * {@code RESNET_DEBUG} is set. Public for {@code resnet-spark}, which reports the same way.
 */
public final class ErrorReporter implements IExecutionExceptionHandler {
    static final int USER_ERROR = 1;
    static final int INTERNAL_ERROR = 2;

    /** The library names a remedy; the CLI says which flag or command applies it. */
    public static String flagHint(Remedy remedy) {
        return switch (remedy) {
            case RESUME -> "pass --resume to continue it, or make a fresh bundle with resnet train-artifacts";
            case NEW_BUNDLE -> "make a new bundle with resnet train-artifacts";
            case MORE_EPOCHS -> "raise --epochs to train further";
            case SAME_BATCH_SIZE -> "resume with the --batch it was trained with";
            case SAME_SCHEDULE -> "resume without --lr-schedule, or with the same one";
            case CPU_DEVICE -> "use --device cpu";
            case FREE_SPACE_AND_RESUME -> "free some space and run again with --resume";
            case LOWER_LEARNING_RATE -> "try a lower rate (--lr-schedule constant:LR) or a warm-up (warmup:LR:...)";
        };
    }

    /**
     * Whether {@code ex} is a problem with the user's input or choices (exit 1) rather than a bug (exit 2): bad
     * arguments, unreadable or invalid files, and library errors that name a remedy (asking for a device this
     * machine or build lacks, say).
     */
    public static boolean isUserError(Throwable ex) {
        return ex instanceof UserError
                || ex instanceof IllegalArgumentException
                || ex instanceof IOException
                || ex instanceof UncheckedIOException
                || ex instanceof Remedy.Carrier;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        boolean userError = isUserError(ex);
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (ex instanceof Remedy.Carrier carrier) {
            message += "; " + flagHint(carrier.remedy());
        }
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
