package dev.resnetdsl.runtime.preprocess;

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
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
    @TempDir
    Path dir;

    @Test
    void matchesTorchvisionsResizeCenterCropNormalizeOnAPng() throws IOException, URISyntaxException {
        Path png = resource("images/sunset.png");
        Tensor expected = Safetensors.read(resource("images/sunset-torchvision-40-32.safetensors"))
                .require("input");
        Tensor actual = new Preprocessing(
                        Preprocessing.Resize.shorterSide(40),
                        32,
                        32,
                        Preprocessing.ColorMode.RGB,
                        Normalization.imagenet(),
                        List.of())
                .load(png);
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
        Tensor t = Preprocessing.imagenet(224, 224, List.of()).load(file);
        assertArrayEquals(new int[] {1, 3, 224, 224}, t.shape());
        int plane = 224 * 224;
        assertEquals((1f - 0.485f) / 0.229f, t.floats()[0], 1e-6);
        assertEquals((128 / 255f - 0.456f) / 0.224f, t.floats()[plane + 1000], 1e-6);
        assertEquals((0f - 0.406f) / 0.225f, t.floats()[2 * plane + plane - 1], 1e-6);
    }

    @Test
    void theGuessForOneChannelModelsIsLuminanceWithMnistsConstants() {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        Tensor t = Preprocessing.guessFor(1, 28, 28).apply(img);
        assertArrayEquals(new int[] {1, 1, 28, 28}, t.shape());
        assertEquals(-0.1307f / 0.3081f, t.floats()[0], 1e-6);
    }

    @Test
    void unreadableFilesAreClearErrors() throws IOException {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        var e = assertThrows(IOException.class, () -> Preprocessing.imagenet(224, 224, List.of())
                .load(text));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
        var missing = assertThrows(IOException.class, () -> Preprocessing.imagenet(224, 224, List.of())
                .load(dir.resolve("x.png")));
        assertTrue(missing.getMessage().contains("x.png"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.guessFor(4, 32, 32));
    }

    @Test
    void anExactResizeLeavesAnImageOfTheInputSizeAsItIs() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF8000);
        img.setRGB(2, 1, 0x102030);
        Preprocessing exact = new Preprocessing(
                Preprocessing.Resize.exact(), 2, 3, Preprocessing.ColorMode.RGB, Normalization.none(), List.of());
        byte[] px = exact.pixels(img);
        assertEquals(255, px[0] & 0xFF);
        assertEquals(128, px[6] & 0xFF);
        assertEquals(0x30, px[12 + 5] & 0xFF);
        Tensor t = exact.apply(img);
        assertEquals(1f, t.floats()[0], 0);
        assertEquals(0x20 / 255f, t.floats()[6 + 5], 1e-7);
    }

    @Test
    void theDescriptionRoundTripsThroughJsonAndRefusesNonsense() {
        Preprocessing p = new Preprocessing(
                Preprocessing.Resize.exact(),
                2,
                2,
                Preprocessing.ColorMode.GRAY,
                Normalization.perPixel(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 3.5f),
                List.of("zero", "one"));
        Preprocessing back = Preprocessing.fromJson(p.toJson());
        assertEquals(p, back);
        assertEquals("one", back.className(1));
        assertEquals("7", back.className(7));
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson("{}"));
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson("not json"));
        String wrongSize = p.toJson().replace("\"height\":2", "\"height\":3");
        var e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(wrongSize));
        assertTrue(e.getMessage().contains("per-pixel normalization has 4 positions"), e.getMessage());
        String control = p.toJson().replace("zero", "ze\\u0007ro");
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(control));
    }

    @Test
    void anImageClaimingHugeDimensionsIsRefusedBeforeDecoding() throws IOException {
        // A valid PNG header for 40000 x 40000 pixels, nothing after it: decoding would need 6.4 GB.
        byte[] header = {
            (byte) 0x89,
            'P',
            'N',
            'G',
            0x0D,
            0x0A,
            0x1A,
            0x0A,
            0,
            0,
            0,
            13,
            'I',
            'H',
            'D',
            'R',
            0,
            0,
            (byte) 0x9C,
            0x40,
            0,
            0,
            (byte) 0x9C,
            0x40,
            8,
            2,
            0,
            0,
            0,
            0,
            0,
            0,
            0
        };
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, header);
        var e = assertThrows(IOException.class, () -> ImageFiles.read(bomb));
        assertTrue(e.getMessage().contains("40000x40000"), e.getMessage());
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(
                PreprocessingTest.class.getClassLoader().getResource(name).toURI());
    }
}
