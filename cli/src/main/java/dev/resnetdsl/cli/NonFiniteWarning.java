package dev.resnetdsl.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Warns on standard error when numbers a command reports or writes are NaN or infinite, instead of letting them pass
 * as results (a NaN accuracy, a file of NaN logits). The output itself is left as it is.
 */
final class NonFiniteWarning {
    private NonFiniteWarning() {}

    /** Warns when any of {@code values} is not finite; {@code what} names them ("the logits of batch.safetensors"). */
    static void check(PrintWriter err, String what, float[] values) {
        int bad = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        if (bad > 0) {
            warn(err, String.format(Locale.ROOT, "%d of %d values of %s", bad, values.length, what));
        }
    }

    /** Warns when {@code value} is not finite. */
    static void check(PrintWriter err, String what, double value) {
        if (!Double.isFinite(value)) {
            warn(err, what + " (" + value + ")");
        }
    }

    /** Warns that {@code count} of {@code total} {@code things} had non-finite values, when count > 0. */
    static void count(PrintWriter err, long count, long total, String things) {
        if (count > 0) {
            warn(err, String.format(Locale.ROOT, "%d of %d %s", count, total, things));
        }
    }

    private static void warn(PrintWriter err, String subject) {
        err.println("resnet: warning: NaN or infinite: " + subject + "; the model's arithmetic overflowed; if it"
                + " diverged in training, a lower learning rate or a warm-up helps");
        err.flush();
    }
}
