package dev.resnetdsl.cli;

import java.io.PrintWriter;

/**
 * Tells a user who stops a training run with Ctrl-C (or {@code kill}) how to continue it. The JVM runs shutdown
 * hooks on SIGINT and SIGTERM, so a hook needs no signal-handling API; it is removed when the run ends normally.
 * Checkpoints are written atomically, so whatever the signal interrupted, the last complete one is on disk.
 */
final class InterruptHint implements AutoCloseable {
    private final Thread hook;
    private volatile boolean finished;

    private InterruptHint(PrintWriter err, String resumeCommand) {
        this.hook = new Thread(
                () -> {
                    if (!finished) {
                        err.println();
                        err.println("resnet: interrupted; the last checkpoint is kept. Continue with:");
                        err.println("  " + resumeCommand);
                        err.flush();
                    }
                },
                "resnet-interrupt-hint");
    }

    /** Installs the hint until {@link #close()}. */
    static InterruptHint install(PrintWriter err, String resumeCommand) {
        InterruptHint hint = new InterruptHint(err, resumeCommand);
        Runtime.getRuntime().addShutdownHook(hint.hook);
        return hint;
    }

    @Override
    public void close() {
        finished = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook has run or will see `finished`.
        }
    }
}
