package dev.resnetdsl.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.testing.HostilePng;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile image files, one row each: every one is an {@link IOException} naming the file, never a decoder's own
 * exception, a hang or an out-of-memory error. (The size bound predates issue 11; the rows keep it.)
 */
class HostileImageTest {
    @TempDir
    static Path dir;

    interface Maker {
        Path make(Path dir) throws IOException;
    }

    record Row(String name, Maker maker, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                        new Row(
                                "a 74-byte PNG claiming 40000x40000 pixels",
                                d -> Files.write(d.resolve("bomb.png"), HostilePng.claiming(40_000, 40_000)),
                                "bomb.png: image is 40000x40000 pixels; at most 50 megapixels are decoded"),
                        new Row(
                                "a PNG claiming 1x2000000000 pixels",
                                d -> Files.write(d.resolve("tall.png"), HostilePng.claiming(1, 2_000_000_000)),
                                "tall.png: image is 1x2000000000 pixels"),
                        new Row(
                                "a PNG cut in half",
                                d -> {
                                    byte[] png = png(64, 64);
                                    return Files.write(d.resolve("half.png"), Arrays.copyOf(png, png.length / 2));
                                },
                                "half.png: cannot decode the image"),
                        new Row(
                                "an empty file",
                                d -> Files.write(d.resolve("empty.png"), new byte[0]),
                                "empty.png: not an image format Java can read"),
                        new Row(
                                "text named .png",
                                d -> Files.writeString(d.resolve("text.png"), "SECRET=hunter2\n"),
                                "text.png: not an image format Java can read"),
                        new Row(
                                "a folder named .png",
                                d -> Files.createDirectories(d.resolve("folder.png")),
                                "folder.png: not a regular file"),
                        new Row(
                                "a FIFO named .png (reading would block)",
                                d -> {
                                    Path fifo = d.resolve("pipe.png");
                                    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
                                    try {
                                        p.waitFor();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                    return fifo;
                                },
                                "pipe.png: not a regular file"),
                        new Row("a missing file", d -> d.resolve("missing.png"), "missing.png"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void hostileImageIsAnIoExceptionNamingTheFile(Row row) throws IOException {
        Path file = row.maker().make(dir);
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(file));
        assertTrue(e.getMessage().contains(row.expected()), () -> "expected '" + row.expected() + "' in: " + e);
        assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
    }

    private static byte[] png(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, x * y * 7919);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
