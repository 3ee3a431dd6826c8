package dev.resnetdsl.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.spark.LocalSpark;
import dev.resnetdsl.spark.cli.ResNetSparkCli;
import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.MetricsCsv;
import dev.resnetdsl.training.loop.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training in local[2,3] (two task slots; a failed task is tried up to three times): a task that fails
 * once, a driver killed mid-run and resumed, and the command line.
 */
class DataParallelTrainingTest {
    /** Keys of the failures already injected: each fails exactly once in this JVM. */
    static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    static final AtomicInteger FAILURES = new AtomicInteger();

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2,3]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SparkTraining training(Path bundle, int epochs, int checkpointEveryRounds, boolean resume) {
        return SparkTraining.of(bundle, TinyBundles.subset(), epochs, 2)
                .withParallel(p -> p.withAverageEvery(2))
                .withTraining(t -> t.withOptions(o -> o.withBatchSize(100)
                        .withSeed(3)
                        .withCheckpointEvery(checkpointEveryRounds * 2)
                        .withResume(resume)));
    }

    /** Fails worker 1's second local step in the round that starts at step 6, once. */
    static final class FailOnce implements WorkerHook {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeStep(long roundStep, int worker, int localStep) {
            if (roundStep == 6 && worker == 1 && localStep == 1 && FAILED.add("round6")) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure (an executor lost mid-round)");
            }
        }
    }

    private static void assertSameModel(Path expected, Path actual) throws IOException {
        Map<String, Tensor> a = TinyBundles.checkpoint(expected);
        Map<String, Tensor> b = TinyBundles.checkpoint(actual);
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            if (a.get(name).dtype() == DType.F32) {
                assertArrayEquals(a.get(name).floats(), b.get(name).floats(), name);
            } else {
                assertArrayEquals(a.get(name).longs(), b.get(name).longs(), name);
            }
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunEndsWithTheSameWeights() throws IOException {
        Path undisturbed = TinyBundles.bundle(dir, "undisturbed");
        Path disturbed = TinyBundles.copy(undisturbed, dir.resolve("disturbed"));
        List<EpochMetrics> expected = training(undisturbed, 1, 0, false).run(spark);
        int before = FAILURES.get();
        List<EpochMetrics> actual = training(disturbed, 1, 0, false)
                .withParallel(p -> p.withHook(new FailOnce()))
                .run(spark);
        assertEquals(before + 1, FAILURES.get(), "the failure was injected");
        assertSameModel(undisturbed, disturbed);
        assertEquals(expected.get(0).trainLoss(), actual.get(0).trainLoss(), 0);
        assertEquals(expected.get(0).testAcc(), actual.get(0).testAcc(), 0);
        assertEquals(20, TinyBundles.checkpoint(disturbed).get("step").longs()[0], "2000 / 100 steps");
    }

    @Test
    void aDriverKilledMidRunResumesTheSameDataOrderAndSchedule() throws IOException {
        Path straight = TinyBundles.bundle(dir, "straight");
        Path killed = TinyBundles.copy(straight, dir.resolve("killed"));
        String schedule = "multistep:0.1:1";
        List<EpochMetrics> rows = training(straight, 2, 3, false)
                .withTraining(t -> t.withOptions(o -> o.withLrSchedule(schedule)))
                .run(spark);
        assertTrue(rows.get(1).trainLoss() < rows.get(0).trainLoss(), "learns: " + rows);

        // Killed in epoch 2 at step 28, after the checkpoint of step 26 (every 3 rounds of 2 steps: 6, 12, …).
        TrainingListener kill = new TrainingListener() {
            @Override
            public void stepDone(StepProgress p) {
                if (p.iteration() == 28) {
                    throw new Killed();
                }
            }
        };
        assertThrows(Killed.class, () -> training(killed, 2, 3, false)
                .withTraining(
                        t -> t.withOptions(o -> o.withLrSchedule(schedule)).withListener(kill))
                .run(spark));
        assertEquals(24, TinyBundles.checkpoint(killed).get("step").longs()[0], "the last checkpoint");
        List<EpochMetrics> resumed = training(killed, 2, 3, true).run(spark);
        assertSameModel(straight, killed);
        assertEquals(rows.size(), resumed.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).trainLoss(), resumed.get(i).trainLoss(), 1e-6, "epoch " + (i + 1));
            assertEquals(rows.get(i).testAcc(), resumed.get(i).testAcc(), 0);
            assertEquals(rows.get(i).lr(), resumed.get(i).lr(), 0);
        }

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> training(killed, 3, 0, true)
                .withParallel(p -> p.withAverageEvery(4))
                .run(spark));
        assertTrue(other.getMessage().contains("trained by 2 workers averaging every 2 steps"), other.getMessage());
    }

    @Test
    void theCommandLineTrainsWithScaledRatesAndWritesMetricsAndCurves() throws IOException {
        Path bundle = TinyBundles.bundle(dir, "cli");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ResNetSparkCli.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "train",
                bundle.toString(),
                "--data",
                TinyBundles.subset(),
                "--epochs",
                "1",
                "--batch",
                "100",
                "--workers",
                "2",
                "--average-every",
                "5",
                "--scale-lr",
                "50",
                "--warmup-epochs",
                "0.5");
        assertEquals(0, status, err.toString());
        assertTrue(out.toString().contains("2000 training and 500 test images"), out.toString());
        assertTrue(out.toString().contains("2 workers of 50 images, averaging every 5 step(s)"), out.toString());
        assertTrue(out.toString().contains("test accuracy"), out.toString());
        List<EpochMetrics> rows = MetricsCsv.read(bundle.resolve("metrics.csv"));
        assertEquals(1, rows.size());
        assertEquals(0.2, rows.get(0).lr(), 1e-9, "0.1 for batches of 50, twice that for 100 after warm-up");
        assertTrue(Files.readString(bundle.resolve("curves.svg")).contains("<polyline"));
        String schedule = dev.resnetdsl.runtime.tensor.Safetensors.read(bundle.resolve("checkpoint.safetensors"))
                .metadata()
                .get("extra.trainer.lr_schedule");
        assertEquals("scale:2:10it+constant:0.1", schedule);

        StringWriter err2 = new StringWriter();
        int bad = ResNetSparkCli.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err2),
                "train",
                bundle.toString(),
                "--data",
                TinyBundles.subset(),
                "--epochs",
                "1",
                "--batch",
                "99",
                "--workers",
                "2");
        assertEquals(1, bad);
        assertTrue(err2.toString().contains("must be a multiple of --workers 2"), err2.toString());
    }

    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
