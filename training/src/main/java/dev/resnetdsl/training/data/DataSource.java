package dev.resnetdsl.training.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A data set named on the command line as {@code KIND:PATH}: {@code mnist:DIR} (IDX files),
 * {@code cifar10:DIR} (binary batches) or {@code folder:DIR} (class-per-folder images under
 * {@code DIR/train} and {@code DIR/test}).
 *
 * @param kind which reader
 * @param path the folder
 */
public record DataSource(Kind kind, Path path) {

    /** The supported formats. */
    public enum Kind {
        MNIST,
        CIFAR10,
        FOLDER;

        /** The prefix used on the command line. */
        public String prefix() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses {@code mnist:PATH}, {@code cifar10:PATH} or {@code folder:PATH}. */
    public static DataSource parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(
                    "data set '" + text + "' should be KIND:PATH with KIND one of mnist, cifar10, folder");
        }
        String kind = text.substring(0, colon).toLowerCase(Locale.ROOT);
        Path path = Path.of(text.substring(colon + 1));
        for (Kind k : Kind.values()) {
            if (k.prefix().equals(kind)) {
                return new DataSource(k, path);
            }
        }
        throw new IllegalArgumentException("unknown data set kind '" + text.substring(0, colon) + "' in '" + text
                + "' (use mnist, cifar10 or folder)");
    }

    /**
     * Loads the training and test sets and checks them against the model's input shape and class count.
     *
     * @param channels the model's input channels
     * @param height the model's input height
     * @param width the model's input width
     * @param classes the model's number of outputs, or 0 to skip that check
     */
    public TrainTestData load(int channels, int height, int width, int classes) throws IOException {
        TrainTestData data;
        switch (kind) {
            case MNIST:
                data = MnistIdx.readFolder(path);
                break;
            case CIFAR10:
                data = Cifar10Binary.readFolder(path);
                break;
            case FOLDER:
                data = ImageFolder.readFolder(path, channels, height, width);
                break;
            default:
                throw new AssertionError(kind);
        }
        ImageDataset train = data.train();
        if (train.channels() != channels || train.height() != height || train.width() != width) {
            throw new IllegalArgumentException("data set " + this + " has " + train.shapeText()
                    + " images but the model expects " + channels + "x" + height + "x" + width);
        }
        if (classes > 0 && train.classes() > classes) {
            throw new IllegalArgumentException("data set " + this + " has " + train.classes()
                    + " classes but the model has only " + classes + " outputs");
        }
        return data;
    }

    /** The paper's augmentation applies to CIFAR-10; digits must not be mirrored, so MNIST gets none. */
    public boolean augmentsByDefault() {
        return kind == Kind.CIFAR10;
    }

    /** MNIST is also scaled to unit variance (see {@link PixelStatistics}); the others follow the paper. */
    public boolean unitVarianceByDefault() {
        return kind == Kind.MNIST;
    }

    @Override
    public String toString() {
        return kind.prefix() + ":" + path;
    }
}
