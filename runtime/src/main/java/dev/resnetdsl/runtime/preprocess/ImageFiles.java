package dev.resnetdsl.runtime.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files (PNG, JPEG, BMP, GIF: whatever {@link ImageIO} reads) with their size bounded before any
 * pixel is allocated: a small compressed file may claim 40000×40000 pixels, and decoding it would exhaust the heap.
 * Every failure is an {@link IOException} naming the file.
 */
public final class ImageFiles {
    /** Largest image accepted, in pixels (about 200 MB once decoded as ARGB). */
    public static final long MAX_PIXELS = 50_000_000L;

    private ImageFiles() {}

    /** Reads and decodes one image file. */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return decode(in, file.toString());
        }
    }

    /** Width and height of an image file, read from its header without decoding the pixels. */
    public static int[] dimensions(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try (InputStream in = Files.newInputStream(file);
                ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": not an image format Java can read (use PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file + ":")) {
                throw e;
            }
            throw new IOException(file + ": cannot read the image header (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot read the image header (" + e + ")", e);
        }
    }

    /** Decodes an image held in memory (for example a {@code binaryFile} row's content); {@code what} names it. */
    public static BufferedImage decode(byte[] bytes, String what) throws IOException {
        return decode(new ByteArrayInputStream(bytes), what);
    }

    private static BufferedImage decode(InputStream in, String what) throws IOException {
        try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            if (stream == null) {
                throw new IOException(what + ": cannot open the image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IOException(what + ": not an image format Java can read (use PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width < 1 || height < 1 || width * height > MAX_PIXELS) {
                    throw new IOException(what + ": image is " + width + "x" + height + " pixels; at most "
                            + MAX_PIXELS / 1_000_000 + " megapixels are decoded");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new IOException(what + ": the image decoder returned nothing");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(what + ":")) {
                throw e;
            }
            throw new IOException(what + ": cannot decode the image (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            // Decoders throw unchecked exceptions on some corrupt inputs (seen: ArrayIndexOutOfBounds in GIF).
            throw new IOException(what + ": cannot decode the image (" + e + ")", e);
        }
    }
}
