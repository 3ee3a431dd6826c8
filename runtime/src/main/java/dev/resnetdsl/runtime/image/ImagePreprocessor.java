package dev.resnetdsl.runtime.image;

import dev.resnetdsl.runtime.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Turns an image file (PNG, JPEG, or anything else {@link ImageIO} reads) into a normalised N×C×H×W float tensor
 * the way torchvision's ImageNet evaluation transform does: resize so the shorter side is {@code resize}
 * (bilinear with PIL's antialiasing when shrinking), center crop {@code crop × crop}, scale to [0, 1], subtract
 * the ImageNet mean (0.485, 0.456, 0.406) and divide by the standard deviation (0.229, 0.224, 0.225).
 *
 * <p>For a model whose input is not 224×224, {@link #forModel} keeps torchvision's ratio: the shorter side goes
 * to round(size · 256/224) and the crop is the model's size. One-channel models get the luminance
 * (0.299 R + 0.587 G + 0.114 B, as PIL's "L" mode) normalised with MNIST's mean 0.1307 and std 0.3081.
 */
public final class ImagePreprocessor {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    private static final float MNIST_MEAN = 0.1307f;
    private static final float MNIST_STD = 0.3081f;

    private final int channels;
    private final int resize;
    private final int cropHeight;
    private final int cropWidth;

    /**
     * @param channels 1 or 3
     * @param resize the shorter side after resizing
     * @param cropHeight crop height (≤ resize)
     * @param cropWidth crop width (≤ resize)
     */
    public ImagePreprocessor(int channels, int resize, int cropHeight, int cropWidth) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    "image input needs a model with 1 or 3 input channels, this one has " + channels);
        }
        if (cropHeight > resize || cropWidth > resize || cropHeight < 1 || cropWidth < 1) {
            throw new IllegalArgumentException(
                    "crop " + cropHeight + "x" + cropWidth + " does not fit in a resize to " + resize);
        }
        this.channels = channels;
        this.resize = resize;
        this.cropHeight = cropHeight;
        this.cropWidth = cropWidth;
    }

    /** torchvision's ImageNet evaluation transform: resize 256, crop 224, 3 channels. */
    public static ImagePreprocessor imagenet() {
        return new ImagePreprocessor(3, 256, 224, 224);
    }

    /** The transform for a model taking {@code channels × height × width}. */
    public static ImagePreprocessor forModel(int channels, int height, int width) {
        int side = Math.max(height, width);
        return new ImagePreprocessor(channels, (int) Math.round(side * 256.0 / 224.0), height, width);
    }

    /** Reads and transforms one image file into a [1, C, H, W] tensor. */
    public Tensor load(Path file) throws IOException {
        BufferedImage image;
        try {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString(), null, "no such file");
            }
            image = ImageIO.read(file.toFile());
        } catch (javax.imageio.IIOException e) {
            throw new IOException(file + ": cannot decode the image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IOException(file + ": not an image format this Java can read (use PNG or JPEG)");
        }
        return transform(image);
    }

    /** Transforms a decoded image into a [1, C, H, W] tensor. */
    public Tensor transform(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int newW;
        int newH;
        // torchvision Resize(int): the shorter side becomes `resize`, the longer keeps the aspect ratio (truncated).
        if (w <= h) {
            newW = resize;
            newH = (int) ((long) resize * h / w);
        } else {
            newH = resize;
            newW = (int) ((long) resize * w / h);
        }
        float[][] rgb = toPlanes(image);
        float[][] resized = new float[3][];
        for (int c = 0; c < 3; c++) {
            resized[c] = Resample.bilinear(rgb[c], w, h, newW, newH);
        }
        // Python's round() (half to even), as torchvision's center_crop uses.
        int top = (int) Math.rint((newH - cropHeight) / 2.0);
        int left = (int) Math.rint((newW - cropWidth) / 2.0);
        float[] out = new float[channels * cropHeight * cropWidth];
        for (int y = 0; y < cropHeight; y++) {
            for (int x = 0; x < cropWidth; x++) {
                int src = (top + y) * newW + left + x;
                int dst = y * cropWidth + x;
                if (channels == 3) {
                    for (int c = 0; c < 3; c++) {
                        out[c * cropHeight * cropWidth + dst] =
                                (resized[c][src] / 255f - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
                    }
                } else {
                    float gray = 0.299f * resized[0][src] + 0.587f * resized[1][src] + 0.114f * resized[2][src];
                    out[dst] = (gray / 255f - MNIST_MEAN) / MNIST_STD;
                }
            }
        }
        return Tensor.ofFloats(new int[] {1, channels, cropHeight, cropWidth}, out);
    }

    private static float[][] toPlanes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] planes = new float[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            planes[0][i] = (argb[i] >> 16) & 0xff;
            planes[1][i] = (argb[i] >> 8) & 0xff;
            planes[2][i] = argb[i] & 0xff;
        }
        return planes;
    }
}
