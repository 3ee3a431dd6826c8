package dev.resnetdsl.runtime.inference;

import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Classifies images in batches with an ONNX classifier and the preprocessing it records: the one code path that
 * {@code resnet predict}, the Java API and the Spark transformer share, so they give the same answers for the
 * same image. Preparing a batch (decoding and preprocessing) is separate from running it, so a caller can prepare
 * the next batch on another thread while ONNX Runtime runs this one. An image that cannot be decoded gets an
 * error in its result and never fails the batch.
 */
public final class BatchClassifier implements AutoCloseable {
    private final Inference inference;
    private final Preprocessing preprocessing;
    private final boolean guessed;

    private BatchClassifier(Inference inference, Preprocessing override) throws IOException {
        this.inference = inference;
        Preprocessing recorded = inference.preprocessing().orElse(null);
        if (override != null) {
            this.preprocessing = override;
            this.guessed = false;
        } else if (recorded != null) {
            this.preprocessing = recorded;
            this.guessed = false;
        } else {
            long[] shape = inference.inputShape();
            if (shape[1] < 1) {
                inference.close();
                throw new IOException("the model's input channel count is not fixed, so images cannot be fed to it");
            }
            // A model with free height and width (some foreign exports) gets the ImageNet 224×224 crop.
            this.preprocessing = Preprocessing.guessFor(
                    (int) shape[1], shape[2] > 0 ? (int) shape[2] : 224, shape[3] > 0 ? (int) shape[3] : 224);
            this.guessed = true;
        }
    }

    /** Opens a model file; its recorded preprocessing applies (or, saying so through {@link #guessed}, a guess). */
    public static BatchClassifier open(Path model, Device device) throws IOException {
        return new BatchClassifier(Inference.open(model, device), null);
    }

    /** Opens a serialised model. */
    public static BatchClassifier open(byte[] model, Device device) throws IOException {
        return new BatchClassifier(Inference.open(model, device), null);
    }

    /** Opens a serialised model with {@code settings} (device and threads per run). */
    public static BatchClassifier open(byte[] model, SessionSettings settings) throws IOException {
        return new BatchClassifier(Inference.open(model, settings), null);
    }

    /** Wraps an open inference session with {@code preprocessing} instead of the recorded one ({@code null}: the model's). */
    public static BatchClassifier of(Inference inference, Preprocessing preprocessing) throws IOException {
        return new BatchClassifier(inference, preprocessing);
    }

    /** The preprocessing applied. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** True when the model records no preprocessing and {@link Preprocessing#guessFor} stands in. */
    public boolean guessed() {
        return guessed;
    }

    /** The underlying session. */
    public Inference inference() {
        return inference;
    }

    /** A batch decoded and preprocessed, ready to run. */
    public static final class PreparedBatch {
        private final List<String> ids;
        private final String[] errors;
        private final Tensor input;
        private final int[] rows;

        private PreparedBatch(List<String> ids, String[] errors, Tensor input, int[] rows) {
            this.ids = ids;
            this.errors = errors;
            this.input = input;
            this.rows = rows;
        }

        /** Number of images in the batch (classified or not). */
        public int size() {
            return ids.size();
        }
    }

    /** Decodes and preprocesses {@code images}; safe to call from another thread than {@link #run}. */
    public PreparedBatch prepare(List<? extends ImageSource> images) {
        int n = images.size();
        List<String> ids = new ArrayList<>(n);
        String[] errors = new String[n];
        int per = preprocessing.channels() * preprocessing.height() * preprocessing.width();
        float[][] rowsData = new float[n][];
        int ok = 0;
        for (int i = 0; i < n; i++) {
            ImageSource s = images.get(i);
            ids.add(s.id());
            try {
                BufferedImage image = s.decode();
                rowsData[i] = preprocessing.apply(image).floats();
                ok++;
            } catch (IOException | RuntimeException e) {
                errors[i] = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
        float[] input = new float[ok * per];
        int[] rows = new int[n];
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (rowsData[i] != null) {
                System.arraycopy(rowsData[i], 0, input, next * per, per);
                rows[i] = next++;
            } else {
                rows[i] = -1;
            }
        }
        Tensor t = ok == 0
                ? null
                : Tensor.ofFloats(
                        new int[] {ok, preprocessing.channels(), preprocessing.height(), preprocessing.width()}, input);
        return new PreparedBatch(ids, errors, t, rows);
    }

    /** Runs a prepared batch and ranks the top {@code k} classes of each image. */
    public List<ImagePrediction> run(PreparedBatch batch, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        Tensor out = batch.input == null ? null : inference.run(batch.input);
        List<ImagePrediction> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (batch.rows[i] < 0) {
                results.add(ImagePrediction.failed(batch.ids.get(i), batch.errors[i]));
                continue;
            }
            int classes = Objects.requireNonNull(out).dim(1);
            int offset = batch.rows[i] * classes;
            float[] row = java.util.Arrays.copyOfRange(out.floats(), offset, offset + classes);
            boolean finite = true;
            for (float v : row) {
                finite &= Float.isFinite(v);
            }
            if (!finite) {
                results.add(
                        ImagePrediction.failed(batch.ids.get(i), "the model's output is not finite (NaN or infinity)"));
                continue;
            }
            double[] p = TopK.probabilities(row, 0, classes, inference.outputKind());
            List<ImagePrediction.RankedClass> top = new ArrayList<>();
            for (TopK.Prediction pr : TopK.top(p, k)) {
                top.add(new ImagePrediction.RankedClass(
                        pr.classIndex(), preprocessing.className(pr.classIndex()), pr.probability()));
            }
            results.add(new ImagePrediction(batch.ids.get(i), top, row, null));
        }
        return results;
    }

    /** {@link #prepare} then {@link #run}. */
    public List<ImagePrediction> classify(List<? extends ImageSource> images, int k) {
        return run(prepare(images), k);
    }

    @Override
    public void close() {
        inference.close();
    }
}
