package dev.resnetdsl.training.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.Remedy;
import dev.resnetdsl.training.data.TrainTestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final int SIZE = 8;
    private static final int CLASSES = 4;
    private static final TrainTestData DATA = SyntheticData.make(SIZE, 300, 100, CLASSES);

    @TempDir
    Path dir;

    private TrainerOptions options(Path runDir, int epochs, String schedule, int checkpointEvery, boolean resume) {
        return TrainerOptions.of(runDir, epochs, 16)
                .withSeed(7)
                .withLrSchedule(schedule)
                .withCheckpointEvery(checkpointEvery)
                .withResume(resume)
                .withAugment(true);
    }

    private LinearSoftmaxEngine engine(Path runDir) throws IOException {
        return LinearSoftmaxEngine.open(runDir, SIZE * SIZE, CLASSES);
    }

    @Test
    void learnsWritesMetricsAndHandsTheHistoryToTheListener() throws IOException {
        List<EpochMetrics> rows;
        List<List<EpochMetrics>> histories = new java.util.ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void epochDone(EpochMetrics metrics, List<EpochMetrics> history) {
                assertEquals(metrics, history.get(history.size() - 1));
                histories.add(history);
            }
        };
        try (LinearSoftmaxEngine e = engine(dir)) {
            // No augmentation here: shifting an 8x8 image by up to 4 rows would erase the classes' row bands.
            TrainerOptions plain = TrainerOptions.of(dir, 4, 16).withSeed(7).withLrSchedule("constant:0.5");
            rows = new Trainer(e, DATA, plain, recorder).run();
            assertEquals(4 * (300 / 16), e.step());
        }
        assertEquals(4, rows.size());
        assertTrue(rows.get(3).trainLoss() < rows.get(0).trainLoss(), "training loss falls: " + rows);
        assertTrue(rows.get(3).testAcc() > 0.9, "learns the synthetic classes: " + rows.get(3));
        List<EpochMetrics> fromFile = MetricsCsv.read(dir.resolve("metrics.csv"));
        assertEquals(4, fromFile.size());
        assertEquals(rows.get(3).testAcc(), fromFile.get(3).testAcc(), 1e-6);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"), StandardCharsets.UTF_8);
        assertEquals("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds", lines.get(0));
        assertEquals(5, lines.size());
        assertTrue(lines.get(1).startsWith("1,"));
        assertEquals(4, histories.size());
        assertEquals(rows, histories.get(3));
        assertEquals(1, histories.get(0).size());
    }

    @Test
    void resumeAfterKillReachesTheSameWeightsBitForBit() throws IOException {
        String schedule = "warmup:0.05:error<60+multistep:0.5:2";
        Path straight = Files.createDirectory(dir.resolve("straight"));
        float[] expected;
        try (LinearSoftmaxEngine e = engine(straight)) {
            new Trainer(e, DATA, options(straight, 3, schedule, 5, false), TrainingListener.SILENT).run();
            expected = e.weights();
        }

        Path killed = Files.createDirectory(dir.resolve("killed"));
        LinearSoftmaxEngine first = engine(killed);
        // "Kill" two steps after the mid-epoch checkpoint at step 25 (epoch 2, batch 7): the process state is
        // abandoned, so steps 26 and 27 are lost and must be redone identically.
        TrainingListener kill = new TrainingListener() {
            @Override
            public void stepDone(StepProgress p) {
                if (p.iteration() == 27) {
                    throw new Killed();
                }
            }
        };
        assertThrows(Killed.class, () -> new Trainer(first, DATA, options(killed, 3, schedule, 5, false), kill).run());
        assertEquals(27, first.step());

        List<EpochMetrics> resumedRows;
        try (LinearSoftmaxEngine e = engine(killed)) {
            assertEquals(25, e.step(), "resumes from the last checkpoint");
            resumedRows = new Trainer(e, DATA, options(killed, 3, null, 5, true), TrainingListener.SILENT).run();
            assertEquals(3 * (300 / 16), e.step());
            assertArrayEquals(expected, e.weights(), "same weights, bit for bit, as the uninterrupted run");
        }
        List<EpochMetrics> straightRows = MetricsCsv.read(straight.resolve("metrics.csv"));
        assertEquals(3, resumedRows.size());
        for (int i = 0; i < 3; i++) {
            EpochMetrics a = straightRows.get(i);
            EpochMetrics b = resumedRows.get(i);
            assertEquals(a.trainLoss(), b.trainLoss(), 1e-6, "epoch " + (i + 1));
            assertEquals(a.trainAcc(), b.trainAcc(), 1e-6);
            assertEquals(a.testAcc(), b.testAcc(), 1e-6);
            assertEquals(a.lr(), b.lr(), 0);
        }
    }

    @Test
    void refusesToRestartATrainedModelWithoutResume() throws IOException {
        try (LinearSoftmaxEngine e = engine(dir)) {
            new Trainer(e, DATA, options(dir, 1, null, 0, false), TrainingListener.SILENT).run();
        }
        try (LinearSoftmaxEngine e = engine(dir)) {
            TrainingRunException ex = assertThrows(
                    TrainingRunException.class,
                    () -> new Trainer(e, DATA, options(dir, 2, null, 0, false), TrainingListener.SILENT).run());
            assertTrue(ex.getMessage().contains("already been trained (18 steps)"), ex.getMessage());
            assertEquals(Remedy.RESUME, ex.remedy());
        }
        try (LinearSoftmaxEngine e = engine(dir)) {
            TrainerOptions otherBatch =
                    TrainerOptions.of(dir, 2, 32).withSeed(7).withResume(true).withAugment(true);
            TrainingRunException ex = assertThrows(
                    TrainingRunException.class, () -> new Trainer(e, DATA, otherBatch, TrainingListener.SILENT).run());
            assertTrue(ex.getMessage().contains("batch size 16"), ex.getMessage());
            assertEquals(Remedy.SAME_BATCH_SIZE, ex.remedy());
            IllegalArgumentException ex2 = assertThrows(
                    IllegalArgumentException.class,
                    () -> new Trainer(e, DATA, options(dir, 2, "cosine:0.1", 0, true), TrainingListener.SILENT).run());
            assertTrue(ex2.getMessage().contains("constant:0.1"), ex2.getMessage());
        }
        try (LinearSoftmaxEngine e = engine(dir)) {
            List<EpochMetrics> rows =
                    new Trainer(e, DATA, options(dir, 1, null, 0, true), TrainingListener.SILENT).run();
            assertEquals(1, rows.size(), "already done: nothing to train");
            assertEquals(300 / 16, e.step());
        }
    }

    @Test
    void aFullDiskDuringACheckpointIsAClearErrorAndKeepsThePreviousOne() throws IOException {
        LinearSoftmaxEngine e = engine(dir);
        e.failSave = 2; // the first epoch's checkpoint succeeds, the second's fails
        IOException ex = assertThrows(
                IOException.class,
                () -> new Trainer(e, DATA, options(dir, 3, null, 0, false), TrainingListener.SILENT).run());
        assertTrue(ex.getMessage().contains("No space left on device"), ex.getMessage());
        assertTrue(ex.getMessage().contains("previous checkpoint is intact"), ex.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary left");
        }
        try (LinearSoftmaxEngine back = engine(dir)) {
            assertEquals(300 / 16, back.step(), "the epoch-1 checkpoint survives");
            assertEquals("1", back.extraState().get("trainer.epoch"));
            List<EpochMetrics> rows =
                    new Trainer(back, DATA, options(dir, 3, null, 0, true), TrainingListener.SILENT).run();
            assertEquals(3, rows.size());
        }
    }

    @Test
    void aBadScheduleFailsBeforeAnyStep() throws IOException {
        try (LinearSoftmaxEngine e = engine(dir)) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new Trainer(
                            e, DATA, options(dir, 1, "stepwise:0.1", 0, false), TrainingListener.SILENT)
                    .run());
            assertTrue(ex.getMessage().contains("unknown schedule 'stepwise'"), ex.getMessage());
            assertEquals(0, e.step());
        }
    }

    @Test
    void anEngineTakingSeveralStepsPerCallTrainsAsOneTakingOne() throws IOException {
        String schedule = "warmup:0.05:20it+multistep:0.5:2";
        Path single = Files.createDirectory(dir.resolve("single"));
        float[] expected;
        try (LinearSoftmaxEngine e = engine(single)) {
            new Trainer(e, DATA, options(single, 2, schedule, 0, false), TrainingListener.SILENT).run();
            expected = e.weights();
        }
        Path rounds = Files.createDirectory(dir.resolve("rounds"));
        List<Integer> calls = new java.util.ArrayList<>();
        List<Long> checkpointsAt = new java.util.ArrayList<>();
        try (LinearSoftmaxEngine inner = engine(rounds);
                ThreePerCall e = new ThreePerCall(inner, calls, checkpointsAt)) {
            new Trainer(e, DATA, options(rounds, 2, schedule, 4, false), TrainingListener.SILENT).run();
            assertArrayEquals(expected, inner.weights(), "the same steps at the same rates, grouped");
        }
        // 18 batches per epoch: calls of 3 never cross an epoch's end.
        assertEquals(List.of(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3), calls);
        // Every 4 steps, checked after each call: at the end of the calls passing 4, 8, 12, 20, 24, 28 and 32; 16 is
        // passed by the call that ends epoch 1, whose checkpoint comes with the epoch's (18 and 36).
        assertEquals(List.of(6L, 9L, 12L, 18L, 21L, 24L, 30L, 33L, 36L), checkpointsAt);
    }

    /** Takes its steps three at a time through the default {@link StepEngine#steps}, recording calls and saves. */
    private static final class ThreePerCall implements StepEngine {
        private final LinearSoftmaxEngine inner;
        private final List<Integer> calls;
        private final List<Long> saves;

        ThreePerCall(LinearSoftmaxEngine inner, List<Integer> calls, List<Long> saves) {
            this.inner = inner;
            this.calls = calls;
            this.saves = saves;
        }

        @Override
        public int stepsPerCall() {
            return 3;
        }

        @Override
        public List<dev.resnetdsl.training.bundle.StepResult> steps(EpochBatches batches, int first, float[] rates)
                throws IOException {
            calls.add(rates.length);
            return StepEngine.super.steps(batches, first, rates);
        }

        @Override
        public dev.resnetdsl.training.bundle.StepResult step(
                dev.resnetdsl.runtime.tensor.Tensor input, dev.resnetdsl.runtime.tensor.Tensor labels, float lr) {
            return inner.step(input, labels, lr);
        }

        @Override
        public dev.resnetdsl.training.bundle.EvalResult evaluate(
                dev.resnetdsl.runtime.tensor.Tensor input, dev.resnetdsl.runtime.tensor.Tensor labels) {
            return inner.evaluate(input, labels);
        }

        @Override
        public long step() {
            return inner.step();
        }

        @Override
        public void setEpoch(int epoch) {
            inner.setEpoch(epoch);
        }

        @Override
        public void saveCheckpoint(java.util.Map<String, String> extraState) throws IOException {
            saves.add(inner.step());
            inner.saveCheckpoint(extraState);
        }

        @Override
        public java.util.Map<String, String> extraState() {
            return inner.extraState();
        }

        @Override
        public java.util.Optional<dev.resnetdsl.runtime.preprocess.Preprocessing> preprocessing() {
            return inner.preprocessing();
        }

        @Override
        public void recordPreprocessing(dev.resnetdsl.runtime.preprocess.Preprocessing p) {
            inner.recordPreprocessing(p);
        }

        @Override
        public void close() {}
    }

    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
