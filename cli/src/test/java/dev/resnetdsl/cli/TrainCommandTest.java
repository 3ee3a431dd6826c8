package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resnet train and resnet plot through the command line. */
class TrainCommandTest {
    /** A very small ResNet for digits, so that a CLI run takes seconds. */
    private static final String TINY = "model Tiny {\n  input 1x28x28\n  classes 10\n  stem {\n    conv 3x3 4\n  }\n"
            + "  block basic\n  shortcut A\n  stage conv2_x 4 x1\n  stage conv3_x 8 x1 /2\n}\n";

    @TempDir
    Path dir;

    private Path bundle(String name) throws IOException {
        Compilation c = SpecCompiler.compile("tiny.resnet", TINY, dir);
        assertFalse(c.hasErrors(), c.formatDiagnostics());
        Network net = SpecNetworks.build(c.models().get(0));
        Path b = dir.resolve(name);
        TrainingBundle.write(b, Weights.initial(net, net.initPolicy()), Hyperparameters.defaults());
        return b;
    }

    private static String subset() {
        return "mnist:" + CliRun.rooted("samples/mnist-subset");
    }

    @Test
    void trainsWritesMetricsAndCurvesAndResumes() throws IOException {
        Path b = bundle("tiny");
        CliRun run = CliRun.of("train", b.toString(), "--data", subset(), "--epochs", "1", "--batch", "50");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("2000 training and 500 test images"), run.out());
        assertTrue(run.out().contains("epoch 1: train loss"), run.out());
        assertTrue(run.out().contains("test accuracy"), run.out());
        List<String> csv = Files.readAllLines(b.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds", csv.get(0));
        assertEquals(2, csv.size());
        // The CLI attaches the curves to the trainer's listener (the training module never draws).
        assertTrue(Files.readString(b.resolve("curves.svg")).contains("<polyline"));
        assertTrue(Files.size(b.resolve("curves.png")) > 1000);

        CliRun again = CliRun.of("train", b.toString(), "--data", subset(), "--epochs", "1", "--batch", "50");
        assertEquals(1, again.status());
        assertTrue(again.err().startsWith("resnet: error: ") && again.err().contains("--resume"), again.err());

        CliRun done =
                CliRun.of("train", b.toString(), "--data", subset(), "--epochs", "1", "--batch", "50", "--resume");
        assertEquals(0, done.status(), done.err());
        assertTrue(done.out().contains("nothing to do"), done.out());

        // Issue 11: --resume without --batch failed against its own checkpoint ("batch size 50, not 128").
        CliRun further = CliRun.of("train", b.toString(), "--data", subset(), "--epochs", "2", "--resume");
        assertEquals(0, further.status(), further.err());
        assertTrue(further.out().contains("epoch 2: train loss"), further.out());
        assertEquals(3, Files.readAllLines(b.resolve("metrics.csv")).size());

        Path picture = dir.resolve("both.svg");
        CliRun plot = CliRun.of(
                "plot", b.toString(), b.resolve("metrics.csv").toString(), "--labels", "a,b", "-o", picture.toString());
        assertEquals(0, plot.status(), plot.err());
        String svg = Files.readString(picture);
        assertTrue(svg.contains(">a test<") && svg.contains(">b train<"), svg);
    }

    @Test
    void badDataIsAOneLineError() throws IOException {
        Path b = bundle("bad");
        Path missing = dir.resolve("nowhere");
        CliRun noFolder = CliRun.of("train", b.toString(), "--data", "mnist:" + missing, "--epochs", "1");
        assertEquals(1, noFolder.status());
        assertEquals(
                "resnet: error: " + missing + ": MNIST data folder does not exist",
                noFolder.err().trim());

        CliRun kind = CliRun.of("train", b.toString(), "--data", "svhn:" + missing, "--epochs", "1");
        assertEquals(1, kind.status());
        assertTrue(kind.err().contains("unknown data set kind 'svhn'"), kind.err());

        Path truncated = Files.createDirectory(dir.resolve("truncated"));
        for (String f : List.of(
                "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(Path.of(CliRun.rooted("samples/mnist-subset/" + f)), truncated.resolve(f));
        }
        byte[] gz = Files.readAllBytes(truncated.resolve("t10k-images-idx3-ubyte.gz"));
        Files.write(truncated.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length - 5000));
        CliRun cut = CliRun.of("train", b.toString(), "--data", "mnist:" + truncated, "--epochs", "1");
        assertEquals(1, cut.status());
        assertTrue(
                cut.err()
                        .startsWith(
                                "resnet: error: " + truncated.resolve("t10k-images-idx3-ubyte.gz") + " is truncated"),
                cut.err());
        assertEquals(1, cut.err().lines().count(), "one line, no stack trace: " + cut.err());

        CliRun schedule = CliRun.of(
                "train", b.toString(), "--data", subset(), "--epochs", "1", "--lr-schedule", "multistep:0.1:5,2");
        assertEquals(1, schedule.status());
        assertEquals(
                "resnet: error: learning-rate schedule 'multistep:0.1:5,2': multistep milestones must increase:"
                        + " [5, 2]",
                schedule.err().trim());

        CliRun zero = CliRun.of("train", b.toString(), "--data", subset(), "--epochs", "0");
        assertEquals(1, zero.status());
        assertTrue(zero.err().contains("--epochs must be at least 1"), zero.err());

        CliRun noBundle = CliRun.of("train", dir.resolve("nobundle").toString(), "--data", subset(), "--epochs", "1");
        assertEquals(1, noBundle.status());
        assertTrue(noBundle.err().contains("no such training bundle directory"), noBundle.err());
    }
}
