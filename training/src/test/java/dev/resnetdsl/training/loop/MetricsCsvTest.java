package dev.resnetdsl.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {
    @TempDir
    Path dir;

    @Test
    void writesExactlyTheAgreedColumns() throws IOException {
        Path f = dir.resolve("metrics.csv");
        MetricsCsv.append(f, new EpochMetrics(1, 0.5, 0.8, 0.4, 0.85, 0.1, 12.5));
        MetricsCsv.append(f, new EpochMetrics(2, 0.25, 0.9, 0.2, 0.95, 0.01, 25.0));
        assertEquals(
                "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds\n"
                        + "1,0.500000,0.800000,0.400000,0.850000,0.1,12.500\n"
                        + "2,0.250000,0.900000,0.200000,0.950000,0.01,25.000\n",
                Files.readString(f));
        List<EpochMetrics> rows = MetricsCsv.read(f);
        assertEquals(2, rows.size());
        assertEquals(0.95, rows.get(1).testAcc(), 1e-12);
        assertEquals(5.0, rows.get(1).testErrorPercent(), 1e-9);
    }

    @Test
    void appendingAnEpochAgainReplacesItAndLaterRows() throws IOException {
        Path f = dir.resolve("metrics.csv");
        for (int e = 1; e <= 3; e++) {
            MetricsCsv.append(f, new EpochMetrics(e, 1, 0.5, 1, 0.5, 0.1, e));
        }
        MetricsCsv.append(f, new EpochMetrics(2, 9, 0.5, 9, 0.5, 0.1, 99));
        List<EpochMetrics> rows = MetricsCsv.read(f);
        assertEquals(2, rows.size());
        assertEquals(9, rows.get(1).trainLoss(), 0);
    }

    @Test
    void aForeignFileIsAnError() throws IOException {
        Path f = dir.resolve("metrics.csv");
        Files.writeString(f, "a,b\n1,2\n");
        IOException e = assertThrows(IOException.class, () -> MetricsCsv.read(f));
        assertTrue(e.getMessage().contains("not a metrics file"), e.getMessage());
        Files.writeString(f, MetricsCsv.HEADER + "\n1,2,3\n");
        IOException cols = assertThrows(IOException.class, () -> MetricsCsv.read(f));
        assertTrue(cols.getMessage().contains(":2: expected 7 columns"), cols.getMessage());
    }
}
