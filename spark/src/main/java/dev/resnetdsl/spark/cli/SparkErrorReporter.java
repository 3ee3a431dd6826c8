package dev.resnetdsl.spark.cli;

import dev.resnetdsl.cli.ErrorReporter;
import dev.resnetdsl.runtime.Remedy;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * One-line errors for {@code resnet-spark}, as the {@code resnet} command reports them ({@link ErrorReporter}'s
 * rules and remedy hints): input problems exit 1, anything
 * else is an internal error (exit 2), with the stack trace only when {@code RESNET_DEBUG} is set. Spark wraps what a
 * task threw (a job that failed on a bad model, say): the reporter looks through the wrapping for the cause.
 */
final class SparkErrorReporter implements IExecutionExceptionHandler {
    static final int USER_ERROR = 1;
    static final int INTERNAL_ERROR = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        Throwable cause = userCause(ex);
        boolean userError = cause != null;
        Throwable shown = userError ? cause : ex;
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : firstLine(shown.getMessage());
        if (shown instanceof Remedy.Carrier carrier) {
            message += "; " + ErrorReporter.flagHint(carrier.remedy());
        }
        if (userError) {
            cmd.getErr().println("resnet-spark: error: " + message);
        } else {
            cmd.getErr()
                    .println("resnet-spark: internal error: " + ex.getClass().getSimpleName() + ": " + message);
            cmd.getErr().println("(set RESNET_DEBUG=1 for the stack trace; please report it)");
        }
        if (System.getenv("RESNET_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return userError ? USER_ERROR : INTERNAL_ERROR;
    }

    /** The first exception in the chain that the user can act on, or {@code null}. */
    static Throwable userCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (ErrorReporter.isUserError(t) || t instanceof org.apache.spark.sql.AnalysisException) {
                return t instanceof UncheckedIOException && t.getCause() != null ? t.getCause() : t;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
