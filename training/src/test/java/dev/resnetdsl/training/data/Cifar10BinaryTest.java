package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10BinaryTest {
    @TempDir
    Path dir;

    private static byte[] batch(int records, int firstLabel) {
        byte[] b = new byte[records * Cifar10Binary.RECORD];
        for (int r = 0; r < records; r++) {
            b[r * Cifar10Binary.RECORD] = (byte) ((firstLabel + r) % 10);
            for (int p = 1; p < Cifar10Binary.RECORD; p++) {
                b[r * Cifar10Binary.RECORD + p] = (byte) (r + p);
            }
        }
        return b;
    }

    static void writeAll(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 1; i <= 5; i++) {
            Files.write(folder.resolve("data_batch_" + i + ".bin"), batch(4, i));
        }
        Files.write(folder.resolve("test_batch.bin"), batch(3, 0));
    }

    @Test
    void readsTheSixBatchesInOrder() throws IOException {
        writeAll(dir);
        TrainTestData data = Cifar10Binary.readFolder(dir);
        assertEquals(20, data.train().size());
        assertEquals(3, data.test().size());
        assertEquals("3x32x32", data.train().shapeText());
        assertEquals(1, data.train().labels()[0]); // batch 1, record 0
        assertEquals(2, data.train().labels()[4]); // batch 2, record 0
        assertEquals("automobile", data.train().classNames().get(1));
        // Pixel 0 of record 1 of batch 1 is byte 1 + 1 of that record.
        assertEquals((byte) 2, data.train().pixels()[3072]);
    }

    @Test
    void findsTheFolderTheArchiveUnpacksTo() throws IOException {
        writeAll(dir.resolve("cifar-10-batches-bin"));
        assertEquals(20, Cifar10Binary.readFolder(dir).train().size());
    }

    @Test
    void aTruncatedBatchIsNamed() throws IOException {
        writeAll(dir);
        Path third = dir.resolve("data_batch_3.bin");
        Files.write(third, Arrays.copyOf(batch(4, 0), 3 * Cifar10Binary.RECORD + 10));
        IOException e = assertThrows(IOException.class, () -> Cifar10Binary.readFolder(dir));
        assertTrue(e.getMessage().startsWith(third + " is truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("3 whole records, then 10 bytes"), e.getMessage());
    }

    @Test
    void aMissingBatchAndABadLabelAreErrors() throws IOException {
        writeAll(dir);
        Files.delete(dir.resolve("data_batch_5.bin"));
        IOException missing = assertThrows(IOException.class, () -> Cifar10Binary.readFolder(dir));
        assertTrue(missing.getMessage().contains("data_batch_5.bin"), missing.getMessage());

        byte[] bad = batch(2, 0);
        bad[Cifar10Binary.RECORD] = 57;
        Files.write(dir.resolve("data_batch_5.bin"), bad);
        IOException label = assertThrows(IOException.class, () -> Cifar10Binary.readFolder(dir));
        assertTrue(label.getMessage().contains("record 1 has label 57"), label.getMessage());
    }
}
