package dev.resnetdsl.cli.progress;

import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.LrSchedules;
import dev.resnetdsl.training.loop.TrainingListener;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Shows training progress. On a terminal it redraws one line with carriage returns — a bar, loss,
 * accuracy, images/s and the epoch's ETA — at most ten times a second; otherwise (a log file, CI) it
 * prints a plain line about every tenth of an epoch, so logs stay readable. A redrawn line never reaches the
 * terminal's last column (a line that wraps is redrawn below itself, filling the screen): the bar shrinks, then
 * the line is cut.
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final int columns;
    private long lastDraw;
    private int lastLoggedTenth = -1;
    private int lineLength;

    /**
     * @param terminal true for carriage-return updates (use {@code System.console() != null})
     */
    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, terminal, TerminalWidth.DEFAULT);
    }

    /**
     * @param terminal true for carriage-return updates (use {@code System.console() != null})
     * @param columns the terminal's width ({@link TerminalWidth#detect()})
     */
    public ConsoleProgress(PrintWriter out, boolean terminal, int columns) {
        this.out = out;
        this.terminal = terminal;
        this.columns = Math.max(20, columns);
    }

    /** Progress on {@code System.out}, as a bar as wide as the terminal allows when it is a terminal. */
    public static ConsoleProgress onStandardOutput() {
        boolean terminal = System.console() != null;
        return new ConsoleProgress(
                new PrintWriter(System.out, true), terminal, terminal ? TerminalWidth.detect() : TerminalWidth.DEFAULT);
    }

    @Override
    public void epochStarted(int epoch, int epochs, int firstBatch, int batches) {
        lastLoggedTenth = firstBatch * 10 / Math.max(1, batches);
        if (!terminal) {
            out.printf(
                    Locale.ROOT,
                    "epoch %d/%d: %d batches%s%n",
                    epoch + 1,
                    epochs,
                    batches,
                    firstBatch > 0 ? " (resuming at batch " + (firstBatch + 1) + ")" : "");
            out.flush();
        }
    }

    @Override
    public void stepDone(StepProgress p) {
        int done = p.batch() + 1;
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw < REDRAW_NANOS && done < p.batches()) {
                return;
            }
            lastDraw = now;
            String head = String.format(Locale.ROOT, "epoch %d/%d ", p.epoch() + 1, p.epochs());
            String tail = String.format(
                    Locale.ROOT,
                    " %d/%d loss %.4f acc %.2f%% %.0f img/s ETA %s lr %s",
                    done,
                    p.batches(),
                    p.loss(),
                    100 * p.accuracy(),
                    p.imagesPerSecond(),
                    eta(p),
                    LrSchedules.number(p.lr()));
            // The last column stays empty: writing into it makes some terminals wrap at once.
            int barWidth = Math.min(BAR, columns - 1 - head.length() - tail.length() - 2);
            String line;
            if (barWidth >= 5) {
                int filled = (int) ((long) barWidth * done / p.batches());
                line = head + "[" + "=".repeat(filled)
                        + (filled < barWidth ? ">" + " ".repeat(barWidth - filled - 1) : "") + "]" + tail;
            } else {
                line = head.strip() + tail;
            }
            draw(line);
        } else {
            int tenth = done * 10 / p.batches();
            if (tenth > lastLoggedTenth && done < p.batches()) {
                lastLoggedTenth = tenth;
                out.printf(
                        Locale.ROOT,
                        "  step %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %s  lr %s%n",
                        done,
                        p.batches(),
                        p.loss(),
                        100 * p.accuracy(),
                        p.imagesPerSecond(),
                        eta(p),
                        LrSchedules.number(p.lr()));
                out.flush();
            }
        }
    }

    @Override
    public void evaluating(int epoch) {
        if (terminal) {
            draw("epoch " + (epoch + 1) + ": evaluating on the test set…");
        }
    }

    @Override
    public void epochDone(EpochMetrics m, List<EpochMetrics> history) {
        endLine();
        out.printf(
                Locale.ROOT,
                "epoch %d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | lr %s | %.1f s%n",
                m.epoch(),
                m.trainLoss(),
                100 * m.trainAcc(),
                m.testLoss(),
                100 * m.testAcc(),
                LrSchedules.number(m.lr()),
                m.seconds());
        out.flush();
    }

    @Override
    public void message(String text) {
        endLine();
        out.println(text);
        out.flush();
    }

    private void draw(String full) {
        String line = full.length() > columns - 1 ? full.substring(0, columns - 2) + "…" : full;
        String padded = line.length() < lineLength ? line + " ".repeat(lineLength - line.length()) : line;
        out.print("\r" + padded);
        out.flush();
        lineLength = line.length();
    }

    private void endLine() {
        if (terminal && lineLength > 0) {
            out.print("\r" + " ".repeat(lineLength) + "\r");
            lineLength = 0;
        }
    }

    private static String eta(StepProgress p) {
        int remaining = p.batches() - p.batch() - 1;
        if (p.imagesPerSecond() <= 0) {
            return "?";
        }
        double perBatch = p.batchSize() / p.imagesPerSecond();
        long s = Math.round(remaining * perBatch);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
