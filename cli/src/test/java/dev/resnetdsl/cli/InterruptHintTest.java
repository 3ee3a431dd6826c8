package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: Ctrl-C during {@code resnet train} ended the run without saying how to continue it. A child JVM trains
 * a tiny model; once it is stepping it gets SIGINT (what Ctrl-C sends), and its standard error must name the
 * command that resumes.
 */
class InterruptHintTest {
    private static final String TINY = "model Tiny {\n  input 1x28x28\n  classes 10\n  stem {\n    conv 3x3 4\n  }\n"
            + "  block basic\n  shortcut A\n  stage conv2_x 4 x1\n  stage conv3_x 8 x1 /2\n}\n";

    @TempDir
    Path dir;

    @Test
    void ctrlCDuringTrainingSaysHowToResume() throws Exception {
        Compilation c = SpecCompiler.compile("tiny.resnet", TINY, dir);
        Network net = SpecNetworks.build(c.models().get(0));
        Path bundle = dir.resolve("bundle");
        TrainingBundle.write(bundle, Weights.initial(net, net.initPolicy()), Hyperparameters.defaults());

        Path err = dir.resolve("err.txt");
        Path out = dir.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ResNetCli.class.getName(),
                        "train",
                        bundle.toString(),
                        "--data",
                        "mnist:" + CliRun.rooted("samples/mnist-subset"),
                        "--epochs",
                        "1000",
                        "--batch",
                        "10")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            // Wait until it is training (its log mode prints step lines), then interrupt it as Ctrl-C does.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!read(out).contains("step ") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(child.isAlive(), "the child died early: " + read(err));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends on SIGINT");
        } finally {
            child.destroyForcibly();
        }
        String stderr = read(err);
        assertTrue(stderr.contains("resnet: interrupted; the last checkpoint is kept. Continue with:"), stderr);
        assertTrue(
                stderr.contains("resnet train " + bundle + " --data mnist:") && stderr.contains("--batch 10 --resume"),
                stderr);
        assertFalse(stderr.contains("Exception"), stderr);
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
