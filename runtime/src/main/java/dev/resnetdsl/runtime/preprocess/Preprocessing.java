package dev.resnetdsl.runtime.preprocess;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What happens to an image between the file and the network's input, and what the network's outputs are called —
 * one immutable description, recorded in a training bundle's manifest and in an exported model's ONNX metadata
 * ({@link #METADATA_KEY}), and applied by this one implementation everywhere: training, evaluation, {@code run},
 * {@code predict}, quantization calibration and Spark. A model therefore preprocesses in deployment exactly as it
 * was trained.
 *
 * <p>The steps, in order: decode; convert to the {@link ColorMode} (grey uses PIL's "L" weights,
 * 0.299 R + 0.587 G + 0.114 B in fixed point); {@link Resize resize} (PIL-style bilinear with antialiasing, 8-bit
 * rounding between passes, as torchvision's {@code Resize} on PIL images) and centre-crop to {@code height ×
 * width}; then {@link Normalization normalise}.
 *
 * @param resize how the image reaches the input size
 * @param height the network's input height
 * @param width the network's input width
 * @param color RGB (3 channels) or grey (1 channel)
 * @param normalization how 8-bit values become input values
 * @param classNames the names of the output classes in index order (may be empty, or shorter than the outputs)
 */
public record Preprocessing(
        Resize resize, int height, int width, ColorMode color, Normalization normalization, List<String> classNames) {

    /** The ONNX metadata key (and manifest field) that holds the description as JSON. */
    public static final String METADATA_KEY = "resnet.preprocessing";
    /** Largest input side accepted from a description. */
    public static final int MAX_SIDE = 8192;
    /** Most class names accepted from a description. */
    public static final int MAX_CLASSES = 100_000;
    /** Longest class name accepted. */
    public static final int MAX_CLASS_NAME = 256;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** The colour the network sees. */
    public enum ColorMode {
        RGB(3),
        GRAY(1);

        private final int channels;

        ColorMode(int channels) {
            this.channels = channels;
        }

        /** Input channels. */
        public int channels() {
            return channels;
        }

        /** The mode for a network with that many input channels. */
        public static ColorMode forChannels(int channels) {
            return switch (channels) {
                case 1 -> GRAY;
                case 3 -> RGB;
                default -> throw new IllegalArgumentException(
                        "images give 1 (grey) or 3 (RGB) channels; this network takes " + channels);
            };
        }
    }

    /**
     * How an image reaches the input size.
     *
     * @param mode {@link Mode#EXACT}: resized straight to height × width (nothing happens when it already has that
     *     size — the data sets' own images); {@link Mode#SHORTER_SIDE}: the shorter side resized to
     *     {@code shorterSide} keeping the aspect ratio, then the centre height × width cropped (torchvision's
     *     evaluation transform, {@code Resize(256)} + {@code CenterCrop(224)})
     * @param shorterSide the shorter side after resizing, for {@code SHORTER_SIDE}; 0 for {@code EXACT}
     */
    public record Resize(Mode mode, int shorterSide) {
        /** The resize rules. */
        public enum Mode {
            EXACT,
            SHORTER_SIDE
        }

        public Resize {
            Objects.requireNonNull(mode, "resize mode");
            if (mode == Mode.EXACT && shorterSide != 0) {
                throw new IllegalArgumentException("an exact resize has no shorter side");
            }
            if (mode == Mode.SHORTER_SIDE && (shorterSide < 1 || shorterSide > MAX_SIDE)) {
                throw new IllegalArgumentException(
                        "the shorter side must be 1 to " + MAX_SIDE + ", got " + shorterSide);
            }
        }

        /** Resize straight to the input size. */
        public static Resize exact() {
            return new Resize(Mode.EXACT, 0);
        }

        /** Shorter side to {@code side}, then centre crop. */
        public static Resize shorterSide(int side) {
            return new Resize(Mode.SHORTER_SIDE, side);
        }
    }

    public Preprocessing {
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(normalization, "normalization");
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException(
                    "input size " + height + "x" + width + " is outside 1.." + MAX_SIDE + " per side");
        }
        if (resize.mode() == Resize.Mode.SHORTER_SIDE && resize.shorterSide() < Math.max(height, width)) {
            throw new IllegalArgumentException("a crop of " + height + "x" + width
                    + " does not fit in an image whose shorter side is " + resize.shorterSide());
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (classNames.size() > MAX_CLASSES) {
            throw new IllegalArgumentException(classNames.size() + " class names, more than " + MAX_CLASSES);
        }
        for (String name : classNames) {
            if (name.length() > MAX_CLASS_NAME || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(
                        "class names must be at most " + MAX_CLASS_NAME + " characters without control characters");
            }
        }
        normalization.requireFits(color.channels(), height, width);
    }

    /**
     * torchvision's ImageNet evaluation transform for an input of {@code height × width}: the shorter side to
     * round(side · 256/224) (256 for 224), centre crop, ImageNet mean and std — what torchvision's pretrained
     * weights expect.
     */
    public static Preprocessing imagenet(int height, int width, List<String> classNames) {
        int side = (int) Math.round(Math.max(height, width) * 256.0 / 224.0);
        return new Preprocessing(
                Resize.shorterSide(side), height, width, ColorMode.RGB, Normalization.imagenet(), classNames);
    }

    /**
     * The guess for a model that carries no description (a foreign export, or one made before descriptions were
     * recorded): ImageNet's transform for 3 channels; for 1 channel the same resize and crop with MNIST's mean
     * 0.1307 and std 0.3081. Callers should say that they guessed.
     */
    public static Preprocessing guessFor(int channels, int height, int width) {
        ColorMode color = ColorMode.forChannels(channels);
        int side = (int) Math.round(Math.max(height, width) * 256.0 / 224.0);
        Normalization n = color == ColorMode.RGB
                ? Normalization.imagenet()
                : Normalization.perChannel(new float[] {0.1307f}, new float[] {0.3081f});
        return new Preprocessing(Resize.shorterSide(side), height, width, color, n, List.of());
    }

    /** The same description with other class names. */
    public Preprocessing withClassNames(List<String> names) {
        return new Preprocessing(resize, height, width, color, normalization, names);
    }

    /** The same description with another normalisation. */
    public Preprocessing withNormalization(Normalization n) {
        return new Preprocessing(resize, height, width, color, n, classNames);
    }

    /** Input channels. */
    public int channels() {
        return color.channels();
    }

    /** The name of class {@code index}, or its number when the description has no name for it. */
    public String className(int index) {
        return index >= 0 && index < classNames.size() ? classNames.get(index) : Integer.toString(index);
    }

    /** Reads, decodes (size-bounded) and transforms an image file into a [1, C, H, W] tensor. */
    public Tensor load(Path file) throws IOException {
        return apply(ImageFiles.read(file));
    }

    /** Transforms a decoded image into a [1, C, H, W] tensor. */
    public Tensor apply(BufferedImage image) {
        float[] out = new float[channels() * height * width];
        normalization.apply(pixels(image), 0, channels(), height * width, out, 0);
        return Tensor.ofFloats(new int[] {1, channels(), height, width}, out);
    }

    /**
     * The image's 8-bit values at the input size, before normalisation: colour-converted, resized and cropped,
     * channel-major (C·H·W bytes). What a data set stores per image.
     */
    public byte[] pixels(BufferedImage image) {
        return resizeAndCrop(colorPlanes(image, color), image.getWidth(), image.getHeight());
    }

    /**
     * {@link #pixels(BufferedImage)} for an image held as 8-bit channel-major planes ({@code channels × height ×
     * width} bytes, 1 = grey or 3 = RGB) — how the data-set readers hold MNIST and CIFAR-10.
     */
    public byte[] pixels(byte[] planes, int offset, int channels, int imageHeight, int imageWidth) {
        int plane = imageHeight * imageWidth;
        float[][] in = new float[channels][plane];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                in[c][i] = planes[offset + c * plane + i] & 0xFF;
            }
        }
        float[][] converted;
        if (channels == color.channels()) {
            converted = in;
        } else if (channels == 1) {
            converted = new float[][] {in[0], in[0].clone(), in[0].clone()};
        } else if (channels == 3) {
            float[] g = new float[plane];
            for (int i = 0; i < plane; i++) {
                g[i] = gray((int) in[0][i], (int) in[1][i], (int) in[2][i]);
            }
            converted = new float[][] {g};
        } else {
            throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
        }
        return resizeAndCrop(converted, imageWidth, imageHeight);
    }

    /** The same image at the input size, nothing to do when it already has it and the resize is exact. */
    private byte[] resizeAndCrop(float[][] planes, int w, int h) {
        int newW = width;
        int newH = height;
        if (resize.mode() == Resize.Mode.SHORTER_SIDE) {
            // torchvision Resize(int): the shorter side becomes the size, the longer keeps the ratio (truncated).
            if (w <= h) {
                newW = resize.shorterSide();
                newH = (int) ((long) resize.shorterSide() * h / w);
            } else {
                newH = resize.shorterSide();
                newW = (int) ((long) resize.shorterSide() * w / h);
            }
        }
        if (newW != w || newH != h) {
            for (int c = 0; c < planes.length; c++) {
                planes[c] = Resample.bilinear(planes[c], w, h, newW, newH);
            }
        }
        // Python's round() (half to even), as torchvision's center_crop uses.
        int top = (int) Math.rint((newH - height) / 2.0);
        int left = (int) Math.rint((newW - width) / 2.0);
        int plane = height * width;
        byte[] out = new byte[planes.length * plane];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[c * plane + y * width + x] = (byte) (int) planes[c][(top + y) * newW + left + x];
                }
            }
        }
        return out;
    }

    /** PIL's convert("L"): L = R·299/1000 + G·587/1000 + B·114/1000, in 16-bit fixed point, rounded. */
    static int gray(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** The image's pixels as 8-bit values in float planes, in the target colour mode. */
    private static float[][] colorPlanes(BufferedImage image, ColorMode color) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        boolean grey = image.getColorModel().getNumColorComponents() == 1 && raster.getNumBands() <= 2;
        if (grey) {
            int bits = raster.getSampleModel().getSampleSize(0);
            float[] g = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    long v = raster.getSample(x, y, 0);
                    g[y * w + x] = bits == 8 ? v : Math.round(v * 255.0 / ((1L << bits) - 1));
                }
            }
            return color == ColorMode.GRAY ? new float[][] {g} : new float[][] {g, g.clone(), g.clone()};
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        if (color == ColorMode.GRAY) {
            float[] g = new float[w * h];
            for (int i = 0; i < argb.length; i++) {
                g[i] = gray((argb[i] >> 16) & 0xff, (argb[i] >> 8) & 0xff, argb[i] & 0xff);
            }
            return new float[][] {g};
        }
        float[][] planes = new float[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            planes[0][i] = (argb[i] >> 16) & 0xff;
            planes[1][i] = (argb[i] >> 8) & 0xff;
            planes[2][i] = argb[i] & 0xff;
        }
        return planes;
    }

    /** The description as one line of JSON (the manifest field and the ONNX metadata value). */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Reads a description written by {@link #toJson}; every value is validated (sizes bounded), so a hostile
     * model's metadata cannot make a reader allocate without bound.
     *
     * @throws IllegalArgumentException when the text is not a valid description
     */
    public static Preprocessing fromJson(String json) {
        if (json == null || json.length() > 64L * Normalization.MAX_VALUES) {
            throw new IllegalArgumentException("preprocessing description is missing or too long");
        }
        try {
            Preprocessing p = GSON.fromJson(json, Preprocessing.class);
            if (p == null) {
                throw new IllegalArgumentException("preprocessing description is empty");
            }
            return p;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not a valid preprocessing description: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps what the records' constructors throw; report the validation message itself.
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException("not a valid preprocessing description: " + cause.getMessage(), e);
        }
    }

    /** One line for reports: {@code resize shorter side 256, crop 224x224, RGB, (pixel/255 - mean) / std …}. */
    public String describe() {
        String r = resize.mode() == Resize.Mode.EXACT
                ? "resize to " + height + "x" + width
                : "resize shorter side to " + resize.shorterSide() + ", centre crop " + height + "x" + width;
        return r + ", " + color + ", " + normalization
                + (classNames.isEmpty() ? "" : ", " + classNames.size() + " class names");
    }
}
