package dev.resnetdsl.training.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.data.MnistIdx;
import dev.resnetdsl.training.data.TrainTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer over real training bundles (ONNX Runtime, CPU) on the MNIST subset shipped in samples/. */
class BundleTrainingTest {
    @TempDir
    Path dir;

    static Path subset() {
        Path root = Path.of(System.getProperty("resnet.root", "..")).toAbsolutePath();
        Path s = root.resolve("samples").resolve("mnist-subset");
        if (!Files.isDirectory(s)) {
            s = Path.of("..").toAbsolutePath().resolve("samples").resolve("mnist-subset");
        }
        return s;
    }

    private static Path bundle(Path dir, Network net) throws IOException {
        TrainingBundle.write(dir, Weights.initial(net, InitPolicy.defaults()), Hyperparameters.defaults());
        return dir;
    }

    private static TrainerOptions options(Path dir, int epochs, int batch, int checkpointEvery, boolean resume) {
        return TrainerOptions.of(dir, epochs, batch)
                .withSeed(3)
                .withCheckpointEvery(checkpointEvery)
                .withResume(resume)
                .withUnitVariance(true);
    }

    @Test
    void aShortRunOnTheMnistSubsetLearns() throws IOException {
        TrainTestData all = MnistIdx.readFolder(subset());
        TrainTestData data = new TrainTestData(all.train().head(1000), all.test());
        Path b = bundle(dir, MnistNetworks.resnet("MnistTiny", 1, 8, 16, 32));
        List<EpochMetrics> rows;
        try (BundleEngine engine = BundleEngine.open(b, Device.CPU)) {
            rows = new Trainer(engine, data, options(b, 2, 25, 0, false), TrainingListener.SILENT).run();
        }
        assertEquals(2, rows.size());
        EpochMetrics last = rows.get(1);
        assertTrue(last.trainLoss() < rows.get(0).trainLoss() && last.trainLoss() < 2.0, "loss falls: " + rows);
        assertTrue(last.trainAcc() > 0.5, "well above chance (10%) on the training set: " + last);
        assertTrue(last.testAcc() > 0.3, "well above chance on the test set: " + last);
        assertEquals(2, MetricsCsv.read(b.resolve("metrics.csv")).size());
    }

    @Test
    void killedAndResumedRunReachesTheSameWeightsBitForBit() throws IOException {
        TrainTestData all = MnistIdx.readFolder(subset());
        TrainTestData data = new TrainTestData(all.train().head(200), all.test().head(100));
        Network net = MnistNetworks.resnet("MnistMini", 1, 4, 8, 16);

        Path straight = bundle(dir.resolve("straight"), net);
        Map<String, Tensor> expected;
        try (BundleEngine engine = BundleEngine.open(straight, Device.CPU)) {
            new Trainer(engine, data, options(straight, 2, 20, 3, false), TrainingListener.SILENT).run();
            expected = engine.bundle().weights();
            assertEquals(20, engine.step());
        }

        Path killed = bundle(dir.resolve("killed"), net);
        TrainingListener killAtStep14 = new TrainingListener() {
            @Override
            public void stepDone(StepProgress p) {
                if (p.iteration() == 14) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        try (BundleEngine engine = BundleEngine.open(killed, Device.CPU)) {
            // The in-memory state (steps 13 and 14) is lost with the "process"; only checkpoints survive.
            assertThrows(
                    IllegalStateException.class,
                    () -> new Trainer(engine, data, options(killed, 2, 20, 3, false), killAtStep14).run());
        }
        try (BundleEngine engine = BundleEngine.open(killed, Device.CPU)) {
            assertEquals(12, engine.step(), "the checkpoint of step 12 (epoch 2, batch 2) is the last one");
            new Trainer(engine, data, options(killed, 2, 20, 3, true), TrainingListener.SILENT).run();
            assertEquals(20, engine.step());
            Map<String, Tensor> actual = engine.bundle().weights();
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                assertArrayEquals(expected.get(name).floats(), actual.get(name).floats(), name + " differs");
            }
        }
    }
}
