package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MnistIdxTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsPlainAndGzippedFolders(boolean gzip) throws IOException {
        IdxFiles.folder(dir, 30, 12, gzip);
        TrainTestData data = MnistIdx.readFolder(dir);
        assertEquals(30, data.train().size());
        assertEquals(12, data.test().size());
        assertEquals("1x28x28", data.train().shapeText());
        assertEquals(10, data.train().classes());
        assertEquals(3, data.train().labels()[13]);
        byte[] raw = IdxFiles.images(30, 28, 28);
        assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), data.train().pixels());
    }

    @Test
    void aMissingFolderIsNamed() {
        Path missing = dir.resolve("no-such-dir");
        IOException e = assertThrows(IOException.class, () -> MnistIdx.readFolder(missing));
        assertTrue(
                e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        IdxFiles.folder(dir, 5, 5, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        IOException e = assertThrows(IOException.class, () -> MnistIdx.readFolder(dir));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void aTruncatedImagesFileSaysWhatIsMissing() throws IOException {
        Path images = dir.resolve("imgs");
        Path labels = dir.resolve("lbls");
        byte[] full = IdxFiles.images(10, 28, 28);
        IdxFiles.write(images, Arrays.copyOf(full, full.length - 100), false);
        IdxFiles.write(labels, IdxFiles.labels(10), false);
        IOException e = assertThrows(IOException.class, () -> MnistIdx.read(images, labels, "t"));
        assertEquals(
                images + " is truncated: its header promises 10 images of 28x28 (7,856 bytes) but it has only"
                        + " 7,756 bytes; 100 bytes are missing",
                e.getMessage());
    }

    @Test
    void aTruncatedGzipStreamIsNamed() throws IOException {
        Path images = dir.resolve("imgs.gz");
        Path labels = dir.resolve("lbls");
        IdxFiles.write(images, IdxFiles.images(50, 28, 28), true);
        byte[] gz = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(gz, gz.length / 2));
        IdxFiles.write(labels, IdxFiles.labels(50), false);
        IOException e = assertThrows(IOException.class, () -> MnistIdx.read(images, labels, "t"));
        assertTrue(e.getMessage().startsWith(images + " is truncated"), e.getMessage());
    }

    @Test
    void aShortHeaderAndWrongMagicAreErrors() throws IOException {
        Path images = dir.resolve("imgs");
        Path labels = dir.resolve("lbls");
        IdxFiles.write(labels, IdxFiles.labels(10), false);
        Files.write(images, new byte[] {0, 0, 8, 3, 0});
        IOException shortHeader = assertThrows(IOException.class, () -> MnistIdx.read(images, labels, "t"));
        assertTrue(shortHeader.getMessage().contains("header needs 16 bytes"), shortHeader.getMessage());

        // The labels file given as the images file: right format, wrong magic.
        IOException swapped = assertThrows(IOException.class, () -> MnistIdx.read(labels, labels, "t"));
        assertTrue(swapped.getMessage().contains("magic number 0x00000801, expected 0x00000803"), swapped.getMessage());
    }

    @Test
    void countsMustAgreeAndTrailingBytesAreRefused() throws IOException {
        Path images = dir.resolve("imgs");
        Path labels = dir.resolve("lbls");
        IdxFiles.write(images, IdxFiles.images(10, 28, 28), false);
        IdxFiles.write(labels, IdxFiles.labels(9), false);
        IOException e = assertThrows(IOException.class, () -> MnistIdx.read(images, labels, "t"));
        assertTrue(
                e.getMessage().contains("holds 10 images but") && e.getMessage().contains("holds 9 labels"),
                e.getMessage());

        byte[] extra = Arrays.copyOf(IdxFiles.labels(10), 8 + 10 + 3);
        IdxFiles.write(labels, extra, false);
        IOException trailing = assertThrows(IOException.class, () -> MnistIdx.read(images, labels, "t"));
        assertTrue(trailing.getMessage().contains("3 unexpected bytes"), trailing.getMessage());
    }

    @Test
    void labelsMustBeDigits() throws IOException {
        Path images = dir.resolve("imgs");
        Path labels = dir.resolve("lbls");
        IdxFiles.write(images, IdxFiles.images(3, 28, 28), false);
        byte[] l = IdxFiles.labels(3);
        l[8 + 2] = 12;
        IdxFiles.write(labels, l, false);
        IOException e = assertThrows(IOException.class, () -> MnistIdx.read(images, labels, "t"));
        assertTrue(e.getMessage().contains("label 2 is 12"), e.getMessage());
    }
}
