package dev.resnetdsl.training.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.testing.JavaProcess;
import dev.resnetdsl.runtime.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per bundle: the second fails at once naming the first; a killed holder blocks no one. */
class BundleLockTest {
    @TempDir
    Path tmp;

    private Path bundle() throws Exception {
        Network net = TrainingBundleTest.tiny("Locked", 4);
        Path dir = tmp.resolve("bundle");
        TrainingBundle.write(dir, Weights.initial(net, InitPolicy.defaults()), Hyperparameters.defaults());
        return dir;
    }

    @Test
    void aSecondWriterInTheSameProcessIsRefused() throws Exception {
        Path dir = bundle();
        try (TrainingBundle first = TrainingBundle.open(dir, Device.CPU)) {
            BundleInUseException e =
                    assertThrows(BundleInUseException.class, () -> TrainingBundle.open(dir, Device.CPU));
            assertEquals(dir + " is already open for writing in this process", e.getMessage());
            Network net = TrainingBundleTest.tiny("Locked", 4);
            assertThrows(
                    BundleInUseException.class,
                    () -> TrainingBundle.write(
                            dir, Weights.initial(net, InitPolicy.defaults()), Hyperparameters.defaults()));
            // reading without the lock (a benchmark) is allowed alongside, and cannot write
            try (TrainingBundle reader = TrainingBundle.openReadOnly(dir, Device.CPU)) {
                assertThrows(IllegalStateException.class, () -> reader.saveCheckpoint(Map.of()));
            }
            first.saveCheckpoint(Map.of());
        }
        TrainingBundle.open(dir, Device.CPU).close(); // released by close
    }

    @Test
    void anotherProcessIsNamedAndAKilledHolderBlocksNoOne() throws Exception {
        Path dir = bundle();
        JavaProcess holder =
                JavaProcess.start(JavaProcess.java(HoldBundleLock.class, List.of(dir.toString())), tmp, Map.of());
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!holder.outSoFar().contains("locked")) {
                assertTrue(holder.isAlive() && System.nanoTime() < deadline, "the holder took the lock");
                Thread.sleep(50);
            }
            BundleInUseException e =
                    assertThrows(BundleInUseException.class, () -> TrainingBundle.open(dir, Device.CPU));
            assertTrue(
                    e.getMessage().startsWith(dir + " is in use by another process (pid " + holder.pid() + " on "),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("running: resnet train " + dir + " (a test's stand-in)); wait for it"),
                    e.getMessage());
        } finally {
            holder.kill();
        }
        // kill -9 leaves the lock file with the dead holder's record, and a half-written checkpoint
        assertTrue(Files.readString(dir.resolve(BundleLock.FILE)).contains("pid=" + holder.pid()));
        Path leftover = dir.resolve(".checkpoint.safetensors.0123456789abcdef" + AtomicFiles.TEMPORARY_SUFFIX);
        Files.writeString(leftover, "half a checkpoint");
        try (TrainingBundle b = TrainingBundle.open(dir, Device.CPU)) {
            assertEquals(0, b.step());
            assertFalse(Files.exists(leftover), "the interrupted write's temporary file is removed");
        }
        assertEquals("", Files.readString(dir.resolve(BundleLock.FILE)), "a released lock records no holder");
    }
}
