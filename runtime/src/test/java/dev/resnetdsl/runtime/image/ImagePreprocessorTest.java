package dev.resnetdsl.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePreprocessorTest {
    @TempDir
    Path dir;

    @Test
    void matchesTorchvisionsResizeCenterCropNormalizeOnAPng() throws IOException, URISyntaxException {
        Path png = resource("images/sunset.png");
        Tensor expected = Safetensors.read(resource("images/sunset-torchvision-40-32.safetensors"))
                .require("input");
        Tensor actual = new ImagePreprocessor(3, 40, 32, 32).load(png);
        assertArrayEquals(expected.shape(), actual.shape());
        float worst = 0;
        int off = 0;
        for (int i = 0; i < expected.elements(); i++) {
            float d = Math.abs(expected.floats()[i] - actual.floats()[i]);
            worst = Math.max(worst, d);
            off += d > 1e-5 ? 1 : 0;
        }
        // PIL's resampling is emulated (8-bit rounding between passes); PIL's fixed-point weights can still round
        // a rare pixel the other way: at most one 8-bit level, 1/255/0.224 after normalisation.
        assertTrue(worst <= 1 / 255f / 0.224f + 1e-5, "max difference " + worst);
        assertTrue(off <= expected.elements() / 100, off + " values differ");
    }

    @Test
    void uniformImageNormalisesWithImagenetMeanAndStd() throws IOException {
        BufferedImage img = new BufferedImage(300, 260, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(255, 128, 0));
        g.fillRect(0, 0, 300, 260);
        g.dispose();
        Path file = dir.resolve("orange.png");
        ImageIO.write(img, "png", file.toFile());
        Tensor t = ImagePreprocessor.imagenet().load(file);
        assertArrayEquals(new int[] {1, 3, 224, 224}, t.shape());
        int plane = 224 * 224;
        assertEquals((1f - 0.485f) / 0.229f, t.floats()[0], 1e-6);
        assertEquals((128 / 255f - 0.456f) / 0.224f, t.floats()[plane + 1000], 1e-6);
        assertEquals((0f - 0.406f) / 0.225f, t.floats()[2 * plane + plane - 1], 1e-6);
    }

    @Test
    void oneChannelModelsGetLuminance() {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        Tensor t = ImagePreprocessor.forModel(1, 28, 28).transform(img);
        assertArrayEquals(new int[] {1, 1, 28, 28}, t.shape());
        assertEquals(-0.1307f / 0.3081f, t.floats()[0], 1e-6);
    }

    @Test
    void unreadableFilesAreClearErrors() throws IOException {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        var e = assertThrows(
                IOException.class, () -> ImagePreprocessor.imagenet().load(text));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
        var missing = assertThrows(
                IOException.class, () -> ImagePreprocessor.imagenet().load(dir.resolve("x.png")));
        assertTrue(missing.getMessage().contains("x.png"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImagePreprocessor.forModel(4, 32, 32));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(
                ImagePreprocessorTest.class.getClassLoader().getResource(name).toURI());
    }
}
