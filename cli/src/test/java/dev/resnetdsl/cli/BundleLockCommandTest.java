package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While one process trains a bundle, every other writer — another step or training run, rewriting the bundle —
 * fails at once naming it; once it is killed, its lock file blocks no one.
 */
class BundleLockCommandTest {
    private static final String SPEC = "model Busy {\n  input 1x28x28\n  classes 10\n  stem {\n    conv 3x3 4\n  }\n"
            + "  block basic\n  shortcut A\n  stage conv2_x 4 x1\n}\n";

    @TempDir
    Path dir;

    @Test
    void aSecondWriterFailsAtOnceNamingTheFirst() throws Exception {
        Path spec = Files.writeString(dir.resolve("busy.resnet"), SPEC);
        Path bundle = dir.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", spec.toString(), "-o", bundle.toString())
                        .status());
        Path batch = dir.resolve("batch.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("input", Tensor.zeros(2, 1, 28, 28));
        tensors.put("labels", Tensor.ofLongs(new int[] {2}, new long[] {0, 1}));
        Safetensors.write(batch, tensors);
        String data = "mnist:" + CliRun.rooted("samples/mnist-subset");

        // The first writer: a long training run in another process, as a user's terminal would hold it.
        JavaProcess trainer = JavaProcess.start(
                JavaProcess.java(
                        ResNetCli.class,
                        List.of("train", bundle.toString(), "--data", data, "--epochs", "1000", "--batch", "50")),
                dir,
                Map.of());
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            // The trainer prints this once it has opened the bundle and loaded the data.
            while (!trainer.outSoFar().contains(" training and ")) {
                assertTrue(trainer.isAlive() && System.nanoTime() < deadline, "the trainer started");
                Thread.sleep(100);
            }
            byte[] checkpoint = Files.readAllBytes(bundle.resolve("checkpoint.safetensors"));
            String holder = bundle + " is in use by another process (pid " + trainer.pid() + " on ";
            for (String[] second : List.of(
                    new String[] {
                        "step",
                        bundle.toString(),
                        "--batch",
                        batch.toString(),
                        "--out",
                        dir.resolve("o").toString()
                    },
                    new String[] {"train", bundle.toString(), "--data", data, "--epochs", "1"},
                    new String[] {"train-artifacts", spec.toString(), "-o", bundle.toString(), "--force"})) {
                CliRun r = CliRun.of(second);
                assertEquals(1, r.status(), second[0] + ": " + r.err());
                assertTrue(r.err().startsWith("resnet: error: " + holder), r.err());
                assertTrue(r.err().contains("running: resnet train " + bundle + " --data"), r.err());
                assertEquals(1, r.err().lines().count(), r.err());
            }
            assertArrayEquals(checkpoint, Files.readAllBytes(bundle.resolve("checkpoint.safetensors")));
        } finally {
            trainer.kill();
        }
        // kill -9: the lock died with the process; the stale lock file does not block, and the next writer
        // removes the temporary file a write interrupted by the kill would leave
        Path leftover = bundle.resolve(".checkpoint.safetensors.0123456789abcdef.resnet-tmp");
        Files.writeString(leftover, "half a checkpoint");
        CliRun step = CliRun.of(
                "step",
                bundle.toString(),
                "--batch",
                batch.toString(),
                "--out",
                dir.resolve("o").toString());
        assertEquals(0, step.status(), step.err());
        assertFalse(Files.exists(leftover), "the interrupted write's temporary file is gone");
        CliRun again = CliRun.of("train-artifacts", spec.toString(), "-o", bundle.toString(), "--force");
        assertEquals(0, again.status(), again.err());
    }
}
