package dev.resnetdsl.spark;

import dev.resnetdsl.runtime.inference.ImageSource;
import dev.resnetdsl.runtime.preprocess.ImageFiles;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Rows of Spark's {@code image} data source ({@code struct<origin, height, width, nChannels, mode, data>}, 8-bit
 * pixels row by row in OpenCV's BGR(A) order) as {@link ImageSource}s, so that they go through the same preprocessing
 * as image files. Every field is checked before a pixel is allocated: a row is input like any file.
 */
final class SparkImages {
    private static final List<String> FIELDS = List.of("origin", "height", "width", "nChannels", "data");

    private SparkImages() {}

    /** Whether {@code type} is the image source's struct. */
    static boolean isImageStruct(DataType type) {
        return type instanceof StructType s && Arrays.asList(s.fieldNames()).containsAll(FIELDS);
    }

    /** The image in {@code struct}, named by its origin (or {@code fallbackId}). */
    static ImageSource source(Row struct, String fallbackId) {
        String origin = struct.getAs("origin");
        String id = origin == null || origin.isEmpty() ? fallbackId : origin;
        return new ImageSource() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public BufferedImage decode() throws IOException {
                return toBufferedImage(struct, id);
            }
        };
    }

    /** The struct's pixels as an image: BGR → TYPE_3BYTE_BGR (the same byte order), grey, or BGRA. */
    static BufferedImage toBufferedImage(Row struct, String id) throws IOException {
        Integer height = struct.getAs("height");
        Integer width = struct.getAs("width");
        Integer channels = struct.getAs("nChannels");
        byte[] data = struct.getAs("data");
        if (height == null || width == null || channels == null || data == null || height < 1 || width < 1) {
            // The image source marks files it could not decode with -1 sizes and no data.
            throw new IOException(id + ": not an image the image data source could decode");
        }
        if ((long) height * width > ImageFiles.MAX_PIXELS) {
            throw new IOException(id + ": image is " + width + "x" + height + " pixels; at most "
                    + ImageFiles.MAX_PIXELS / 1_000_000 + " megapixels are decoded");
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IOException(id + ": images have 1, 3 or 4 channels, this one has " + channels);
        }
        int pixels = height * width;
        if (data.length != pixels * channels) {
            throw new IOException(id + ": " + width + "x" + height + "x" + channels + " pixels need "
                    + pixels * channels + " bytes, the row holds " + data.length);
        }
        int type =
                switch (channels) {
                    case 1 -> BufferedImage.TYPE_BYTE_GRAY;
                    case 3 -> BufferedImage.TYPE_3BYTE_BGR;
                    default -> BufferedImage.TYPE_4BYTE_ABGR;
                };
        BufferedImage image = new BufferedImage(width, height, type);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (channels == 4) {
            // Spark's B, G, R, A to Java's A, B, G, R.
            for (int i = 0; i < pixels; i++) {
                target[4 * i] = data[4 * i + 3];
                target[4 * i + 1] = data[4 * i];
                target[4 * i + 2] = data[4 * i + 1];
                target[4 * i + 3] = data[4 * i + 2];
            }
        } else {
            System.arraycopy(data, 0, target, 0, data.length);
        }
        return image;
    }
}
