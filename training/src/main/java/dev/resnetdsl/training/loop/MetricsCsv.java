package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.csv}: one row per completed epoch, columns exactly
 * {@code epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds} (accuracies as fractions 0–1). The file
 * is rewritten atomically on every append, so an interrupted run never leaves a half-written row.
 */
public final class MetricsCsv {
    /** The header line. */
    public static final String HEADER = "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds";

    private MetricsCsv() {}

    /** The rows of {@code file}; an empty list when it does not exist. */
    public static List<EpochMetrics> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IOException(file + ": not a metrics file (first line should be '" + HEADER + "')");
        }
        List<EpochMetrics> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 7) {
                throw new IOException(file + ":" + (i + 1) + ": expected 7 columns, found " + f.length);
            }
            try {
                rows.add(new EpochMetrics(
                        Integer.parseInt(f[0]),
                        Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]),
                        Double.parseDouble(f[6])));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a number: " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /** Atomically replaces {@code file} with {@code rows}. */
    public static void write(Path file, List<EpochMetrics> rows) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (EpochMetrics m : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%d,%.6f,%.6f,%.6f,%.6f,%s,%.3f%n",
                    m.epoch(),
                    m.trainLoss(),
                    m.trainAcc(),
                    m.testLoss(),
                    m.testAcc(),
                    LrSchedules.number(m.lr()),
                    m.seconds()));
        }
        AtomicFiles.writeString(file, sb.toString().replace(System.lineSeparator(), "\n"));
    }

    /**
     * Adds {@code row}, dropping any rows of that epoch or later first (a resumed run repeats an epoch
     * that was in progress when it stopped), and rewrites the file atomically.
     */
    public static void append(Path file, EpochMetrics row) throws IOException {
        List<EpochMetrics> rows = new ArrayList<>(keepBefore(read(file), row.epoch()));
        rows.add(row);
        write(file, rows);
    }

    /** The rows of epochs before {@code epoch}. */
    public static List<EpochMetrics> keepBefore(List<EpochMetrics> rows, int epoch) {
        return rows.stream().filter(r -> r.epoch() < epoch).toList();
    }
}
