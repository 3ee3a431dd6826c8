package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourceTest {
    @TempDir
    Path dir;

    @Test
    void parsesKindAndPath() {
        DataSource s = DataSource.parse("mnist:/data/m:nist");
        assertEquals(DataSource.Kind.MNIST, s.kind());
        assertEquals(Path.of("/data/m:nist"), s.path());
        assertEquals(DataSource.Kind.CIFAR10, DataSource.parse("CIFAR10:x").kind());
        assertEquals(DataSource.Kind.FOLDER, DataSource.parse("folder:x").kind());
    }

    @Test
    void rejectsUnknownKindsAndMissingParts() {
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> DataSource.parse("imagenet:/x"));
        assertTrue(unknown.getMessage().contains("unknown data set kind 'imagenet'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSource.parse("/just/a/path"));
        assertThrows(IllegalArgumentException.class, () -> DataSource.parse("mnist:"));
    }

    @Test
    void checksTheModelsInputShape() throws IOException {
        IdxFiles.folder(dir, 4, 4, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSource.parse("mnist:" + dir)
                .load(3, 32, 32, 10));
        assertTrue(e.getMessage().contains("has 1x28x28 images but the model expects 3x32x32"), e.getMessage());
        IllegalArgumentException classes =
                assertThrows(IllegalArgumentException.class, () -> DataSource.parse("mnist:" + dir)
                        .load(1, 28, 28, 5));
        assertTrue(classes.getMessage().contains("10 classes but the model has only 5"), classes.getMessage());
        assertEquals(
                4, DataSource.parse("mnist:" + dir).load(1, 28, 28, 10).train().size());
    }
}
