package dev.resnetdsl.spark.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor's pool of worker bundles closes without pulling a bundle from under a running task: before, closing the
 * pool (the executor cache's shutdown) closed a borrowed bundle whose step was still running in ONNX Runtime, and the
 * JVM died with SIGSEGV.
 */
class WorkerBundlesTest {
    @TempDir
    Path dir;

    @Test
    void aBorrowedBundleOutlivesThePoolAndClosesWhenGivenBack() throws IOException {
        Path folder = TinyBundles.bundle(dir, "bundle");
        WorkerBundles pool =
                WorkerBundles.over(folder, SessionSettings.of(Device.CPU).withIntraOpThreads(1));
        TrainingBundle b = pool.borrow();
        pool.close();

        StepResult r = b.step(Tensor.zeros(2, 1, 28, 28), Tensor.ofLongs(new int[] {2}, new long[] {3, 7}), 0.01f);
        assertTrue(Float.isFinite(r.loss()), "the borrowed bundle still steps after the pool closed");
        assertFalse(Files.exists(folder), "the pool deleted its bundle folder");

        pool.giveBack(b);
        assertThrows(
                RuntimeException.class,
                () -> b.step(Tensor.zeros(2, 1, 28, 28), Tensor.ofLongs(new int[] {2}, new long[] {3, 7}), 0.01f),
                "given back to a closed pool, the bundle is closed");
        IOException e = assertThrows(IOException.class, pool::borrow);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
