package dev.resnetdsl.runtime.inference;

import dev.resnetdsl.runtime.preprocess.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One image to classify: an identifier for the results (a path, a URI, a row key) and how to decode it. Decoding
 * happens when a batch is prepared, so a failure belongs to that image's row and never to the batch.
 */
public interface ImageSource {
    /** The image's identifier, as the results report it. */
    String id();

    /** Decodes the image; an {@link IOException} names what is wrong. */
    BufferedImage decode() throws IOException;

    /** An image file. */
    static ImageSource of(Path file) {
        Objects.requireNonNull(file, "file");
        return new ImageSource() {
            @Override
            public String id() {
                return file.toString();
            }

            @Override
            public BufferedImage decode() throws IOException {
                return ImageFiles.read(file);
            }
        };
    }

    /** Encoded image bytes (PNG, JPEG, …) held in memory, such as a {@code binaryFile} row's content. */
    static ImageSource of(String id, byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        return new ImageSource() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public BufferedImage decode() throws IOException {
                return ImageFiles.decode(encoded, id);
            }
        };
    }

    /** An image already decoded. */
    static ImageSource of(String id, BufferedImage image) {
        Objects.requireNonNull(image, "image");
        return new ImageSource() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public BufferedImage decode() {
                return image;
            }
        };
    }
}
