package dev.resnetdsl.api;

import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.quantize.CalibrationData;
import dev.resnetdsl.runtime.quantize.Comparison;
import dev.resnetdsl.runtime.quantize.SeededSample;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.data.DataRequest;
import dev.resnetdsl.training.data.DataSource;
import dev.resnetdsl.training.data.ImageDataset;
import dev.resnetdsl.training.data.TrainTestData;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Calibration images from a training data set ({@code mnist:}, {@code cifar10:}, {@code folder:}, read by the
 * training module's readers): {@code count} images of the training split chosen with a seed, normalised by the
 * model's own {@link Preprocessing} (resized and cropped by its rule, as training reads them), batch by batch when
 * calibration asks. The test split is the held-out set for {@link #heldOut(int)}.
 *
 * <pre>{@code
 * try (Inference fp32 = Inference.open(model, Device.CPU)) {
 *     Preprocessing p = fp32.preprocessing().orElseThrow();
 *     DataSetCalibration data = DataSetCalibration.of(DataSource.parse("mnist:data/fashion"), p, 512, 0);
 *     QuantizedModel q = Quantizer.quantize(OnnxFiles.read(model), data, QuantizeOptions.defaults());
 * }
 * }</pre>
 */
public final class DataSetCalibration implements CalibrationData {
    /** Images normalised per batch. */
    static final int BATCH = 64;

    private final DataSource source;
    private final TrainTestData data;
    private final Preprocessing preprocessing;
    private final int[] chosen;
    private final long seed;

    private DataSetCalibration(
            DataSource source, TrainTestData data, Preprocessing preprocessing, int[] chosen, long seed) {
        this.source = source;
        this.data = data;
        this.preprocessing = preprocessing;
        this.chosen = chosen;
        this.seed = seed;
    }

    /**
     * Reads {@code source} (checked against the preprocessing's input size) and chooses {@code count} training
     * images with {@code seed}.
     */
    public static DataSetCalibration of(DataSource source, Preprocessing preprocessing, int count, long seed)
            throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("calibration needs at least one image, asked for " + count);
        }
        // Through the model's own resize, as training and predict read them: a folder of photos of any size
        // calibrates a fine-tuned model (an exact-size read refuses them).
        TrainTestData loaded =
                source.load(DataRequest.of(preprocessing.channels(), preprocessing.height(), preprocessing.width(), 0)
                        .withResize(preprocessing.resize()));
        TrainTestData data = loaded;
        if (loaded.trainCrops()) {
            // Training photos are kept as squares to crop from at random; calibration sees them as evaluation does,
            // centre-cropped to the input size.
            Preprocessing centre = new Preprocessing(
                    loaded.resize(),
                    preprocessing.height(),
                    preprocessing.width(),
                    preprocessing.color(),
                    Normalization.none(),
                    List.of());
            data = new TrainTestData(loaded.train().transformed(centre), loaded.test());
        }
        int[] chosen = SeededSample.choose(data.train().size(), count, seed);
        return new DataSetCalibration(source, data, preprocessing, chosen, seed);
    }

    @Override
    public Iterable<Tensor> batches() {
        ImageDataset train = data.train();
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < chosen.length;
            }

            @Override
            public Tensor next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(BATCH, chosen.length - next);
                Tensor t = normalised(train, chosen, next, n);
                next += n;
                return t;
            }
        };
    }

    /**
     * Up to {@code max} images of the test split (the first ones), with labels: images calibration did not see.
     */
    public Iterable<Comparison.Batch> heldOut(int max) {
        ImageDataset test = data.test();
        int total = Math.min(max, test.size());
        int[] all = java.util.stream.IntStream.range(0, total).toArray();
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public Comparison.Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(BATCH, total - next);
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = test.labels()[next + i];
                }
                Comparison.Batch b = new Comparison.Batch(normalised(test, all, next, n), labels);
                next += n;
                return b;
            }
        };
    }

    /** Test images available for {@link #heldOut(int)}. */
    public int heldOutSize() {
        return data.test().size();
    }

    private Tensor normalised(ImageDataset set, int[] indices, int from, int n) {
        int per = set.imageSize();
        float[] out = new float[n * per];
        for (int i = 0; i < n; i++) {
            preprocessing
                    .normalization()
                    .apply(
                            set.pixels(),
                            indices[from + i] * per,
                            set.channels(),
                            set.height() * set.width(),
                            out,
                            i * per);
        }
        return Tensor.ofFloats(new int[] {n, set.channels(), set.height(), set.width()}, out);
    }

    @Override
    public String description() {
        return source + " train (" + chosen.length + " of " + data.train().size() + " images)";
    }

    @Override
    public OptionalLong seed() {
        return OptionalLong.of(seed);
    }
}
