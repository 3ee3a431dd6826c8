package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A data set named on the command line as {@code KIND:PATH}: {@code mnist:DIR} (IDX files),
 * {@code fashion-mnist:DIR} (the same format, Fashion-MNIST's class names; Debian's package puts it in
 * /usr/share/datasets/fashion-mnist), {@code cifar10:DIR} (binary batches) or {@code folder:DIR}
 * (class-per-folder images under {@code DIR/train} and {@code DIR/test}, or one folder and a validation split).
 *
 * @param kind which reader
 * @param path the folder
 */
public record DataSource(Kind kind, Path path) {

    /** The supported formats. */
    public enum Kind {
        MNIST("mnist"),
        FASHION_MNIST("fashion-mnist"),
        CIFAR10("cifar10"),
        FOLDER("folder");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The prefix used on the command line. */
        public String prefix() {
            return prefix;
        }
    }

    /** Parses {@code mnist:PATH}, {@code cifar10:PATH} or {@code folder:PATH}. */
    public static DataSource parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("data set '" + text
                    + "' should be KIND:PATH with KIND one of mnist, fashion-mnist, cifar10, folder");
        }
        String kind = text.substring(0, colon).toLowerCase(Locale.ROOT);
        Path path = Path.of(text.substring(colon + 1));
        for (Kind k : Kind.values()) {
            if (k.prefix().equals(kind)) {
                return new DataSource(k, path);
            }
        }
        throw new IllegalArgumentException("unknown data set kind '" + text.substring(0, colon) + "' in '" + text
                + "' (use mnist, fashion-mnist, cifar10 or folder)");
    }

    /**
     * Loads the training and test sets with the images exactly as given (no resize) and checks them against the
     * model's input shape and class count.
     *
     * @param classes the model's number of outputs, or 0 to skip that check
     */
    public TrainTestData load(int channels, int height, int width, int classes) throws IOException {
        return load(DataRequest.of(channels, height, width, classes).withResize(Preprocessing.Resize.exact()));
    }

    /**
     * Loads the training and test sets as the model sees them: resized and cropped by the request's rule (or the
     * data's own default), checked against the model's input shape and class count.
     */
    public TrainTestData load(DataRequest request) throws IOException {
        TrainTestData data;
        switch (kind) {
            case MNIST, FASHION_MNIST, CIFAR10 -> {
                if (request.validationSplit() > 0) {
                    throw new IllegalArgumentException(
                            prefix() + " data sets come with their test set; a validation split is for folders");
                }
                TrainTestData raw =
                        switch (kind) {
                            case MNIST -> MnistIdx.readFolder(path);
                            case FASHION_MNIST -> MnistIdx.readFolder(path, MnistIdx.FASHION, kind.prefix());
                            default -> Cifar10Binary.readFolder(path);
                        };
                data = resized(raw, request);
            }
            case FOLDER -> data = ImageFolder.read(path, request);
            default -> throw new AssertionError(kind);
        }
        ImageDataset test = data.test();
        if (test.channels() != request.channels()
                || test.height() != request.height()
                || test.width() != request.width()) {
            throw new IllegalArgumentException("data set " + this + " has " + test.shapeText()
                    + " images but the model expects " + request.channels() + "x" + request.height() + "x"
                    + request.width());
        }
        if (request.classes() > 0 && data.train().classes() > request.classes()) {
            throw new IllegalArgumentException("data set " + this + " has "
                    + data.train().classes() + " classes but the model has only " + request.classes() + " outputs");
        }
        return data;
    }

    private String prefix() {
        return kind.prefix();
    }

    /**
     * MNIST and CIFAR-10 come at their native size; a model that records another resize (fine-tuning ImageNet
     * weights on CIFAR-10, say) sees them through it, exactly as deployment will.
     */
    private static TrainTestData resized(TrainTestData raw, DataRequest request) {
        ImageDataset train = raw.train();
        if (request.resize() == null || train.channels() != request.channels()) {
            if (train.channels() != request.channels()) {
                throw new IllegalArgumentException(raw.train().description() + " has " + train.shapeText()
                        + " images but the model expects " + request.channels() + "x" + request.height() + "x"
                        + request.width());
            }
            return raw;
        }
        Preprocessing p = new Preprocessing(
                request.resize(),
                request.height(),
                request.width(),
                Preprocessing.ColorMode.forChannels(request.channels()),
                Normalization.none(),
                java.util.List.of());
        return new TrainTestData(raw.train().transformed(p), raw.test().transformed(p), request.resize(), false);
    }

    /** The paper's augmentation applies to CIFAR-10; digits must not be mirrored, so MNIST gets none. */
    public boolean augmentsByDefault() {
        return kind == Kind.CIFAR10;
    }

    /**
     * MNIST and Fashion-MNIST are also scaled to unit variance (see {@link PixelStatistics}); the others follow
     * the paper.
     */
    public boolean unitVarianceByDefault() {
        return kind == Kind.MNIST || kind == Kind.FASHION_MNIST;
    }

    @Override
    public String toString() {
        return kind.prefix() + ":" + path;
    }
}
