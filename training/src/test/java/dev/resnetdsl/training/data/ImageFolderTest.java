package dev.resnetdsl.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    private static void png(Path file, int w, int h, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private void tree(int w, int h) throws IOException {
        for (String split : List.of("train", "test")) {
            png(dir.resolve(split).resolve("cat").resolve("a.png"), w, h, 0xFF0000);
            png(dir.resolve(split).resolve("cat").resolve("b.png"), w, h, 0x00FF00);
            png(dir.resolve(split).resolve("dog").resolve("a.png"), w, h, 0x0000FF);
        }
    }

    @Test
    void readsClassesInSortedOrderAsRgbPlanes() throws IOException {
        tree(4, 3);
        TrainTestData data = ImageFolder.readFolder(dir, 3, 3, 4);
        ImageDataset train = data.train();
        assertEquals(List.of("cat", "dog"), train.classNames());
        assertEquals(3, train.size());
        assertEquals(0, train.labels()[0]);
        assertEquals(1, train.labels()[2]);
        int plane = 12;
        assertEquals((byte) 255, train.pixels()[0]); // red plane of the red image
        assertEquals(0, train.pixels()[plane]); // its green plane
        assertEquals((byte) 255, train.pixels()[36 + plane]); // green plane of the green image
    }

    @Test
    void convertsToGreyForOneChannel() throws IOException {
        tree(2, 2);
        ImageDataset grey = ImageFolder.readFolder(dir, 1, 2, 2).train();
        assertEquals(Math.round(0.299 * 255), grey.pixels()[0] & 0xFF);
        assertEquals(Math.round(0.114 * 255), grey.pixels()[8] & 0xFF);
    }

    @Test
    void anImageOfTheWrongSizeIsNamed() throws IOException {
        tree(4, 4);
        Path odd = dir.resolve("train").resolve("dog").resolve("odd.png");
        png(odd, 5, 4, 0);
        IOException e = assertThrows(IOException.class, () -> ImageFolder.readFolder(dir, 3, 4, 4));
        assertEquals(
                odd
                        + ": image is 5x4 pixels, the model expects 4x4 (width x height) and records an exact resize; resize the data set",
                e.getMessage());
    }

    @Test
    void missingFoldersAndNonImagesAreErrors() throws IOException {
        IOException none = assertThrows(IOException.class, () -> ImageFolder.readFolder(dir.resolve("x"), 3, 4, 4));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
        tree(4, 4);
        Path text = dir.resolve("test").resolve("dog").resolve("notes.txt");
        Files.writeString(text, "not an image");
        IOException bad = assertThrows(IOException.class, () -> ImageFolder.readFolder(dir, 3, 4, 4));
        assertTrue(bad.getMessage().startsWith(text + ": not an image"), bad.getMessage());
    }
}
