package dev.resnetdsl.api;

import dev.resnetdsl.runtime.inference.BatchClassifier;
import dev.resnetdsl.runtime.inference.ImagePrediction;
import dev.resnetdsl.runtime.inference.ImageSource;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkMetadata;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies images with a trained model — an ONNX file that {@code resnet export} wrote, or a training bundle
 * directory — applying the preprocessing the model was trained with and naming its classes.
 *
 * <pre>{@code
 * try (Classifier classifier = Classifier.open(Path.of("runs/birds"))) {      // a bundle or a model.onnx
 *     for (Classifier.Prediction p : classifier.classify(ImageIO.read(new File("robin.jpg")), 3)) {
 *         System.out.printf("%s %.1f%%%n", p.label(), 100 * p.probability());
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use one per thread, or {@link #classifyAll} for batches.
 */
public final class Classifier implements AutoCloseable {
    private final BatchClassifier batch;

    private Classifier(BatchClassifier batch) {
        this.batch = batch;
    }

    /**
     * One class and its probability.
     *
     * @param label the class name the model records (its index as text when it records none)
     * @param index the class index
     * @param probability softmax probability, 0–1
     */
    public record Prediction(String label, int index, double probability) {}

    /** Opens a model file or a training bundle on the CPU. */
    public static Classifier open(Path modelOrBundle) throws IOException {
        return open(modelOrBundle, Device.CPU);
    }

    /**
     * Opens a model file or a training bundle (its network and last checkpoint, exported in memory) on
     * {@code device}.
     */
    public static Classifier open(Path modelOrBundle, Device device) throws IOException {
        return open(modelOrBundle, device, null);
    }

    /**
     * Opens a model file or a training bundle that must hold {@code expected}'s network (by structure: layers,
     * shapes, parameter names); a model that records no structure (a foreign export) is taken on trust.
     *
     * @throws IOException when the file holds another network
     */
    public static Classifier open(Path modelOrBundle, Device device, Network expected) throws IOException {
        if (Files.isDirectory(modelOrBundle) && Files.isRegularFile(modelOrBundle.resolve(Manifest.FILE))) {
            TrainingBundle.TrainedModel trained = TrainingBundle.trainedModel(modelOrBundle);
            requireNetwork(modelOrBundle, trained.network().structureHash(), expected);
            ExportOptions options = ExportOptions.defaults();
            if (trained.preprocessing() != null) {
                options = options.withPreprocessing(trained.preprocessing());
            }
            byte[] model = OnnxExporter.export(trained.weights(), options).toByteArray();
            return new Classifier(BatchClassifier.open(model, device));
        }
        if (!Files.isRegularFile(modelOrBundle)) {
            throw new IOException(modelOrBundle + ": neither a model file nor a training bundle");
        }
        BatchClassifier classifier = BatchClassifier.open(modelOrBundle, device);
        try {
            requireNetwork(
                    modelOrBundle, classifier.inference().metadata().get(NetworkMetadata.STRUCTURE_HASH), expected);
        } catch (IOException e) {
            classifier.close();
            throw e;
        }
        return new Classifier(classifier);
    }

    private static void requireNetwork(Path file, String hash, Network expected) throws IOException {
        if (expected != null && hash != null && !hash.equals(expected.structureHash())) {
            throw new IOException(file + " holds another network than " + expected.name());
        }
    }

    /** The {@code k} most probable classes of {@code image}, most probable first. */
    public List<Prediction> classify(BufferedImage image, int k) {
        return predictions(
                batch.classify(List.of(ImageSource.of("image", image)), k).get(0));
    }

    /** The {@code k} most probable classes of an image file. */
    public List<Prediction> classify(Path imageFile, int k) throws IOException {
        ImagePrediction p =
                batch.classify(List.of(ImageSource.of(imageFile)), k).get(0);
        if (!p.ok()) {
            throw new IOException(p.error());
        }
        return predictions(p);
    }

    /** The most probable class of {@code image}. */
    public Prediction top(BufferedImage image) {
        return classify(image, 1).get(0);
    }

    /** The {@code k} most probable classes of each image, in one batch. */
    public List<List<Prediction>> classifyAll(List<BufferedImage> images, int k) {
        List<ImageSource> sources = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            sources.add(ImageSource.of("image " + i, images.get(i)));
        }
        List<List<Prediction>> out = new ArrayList<>();
        for (ImagePrediction p : batch.classify(sources, k)) {
            out.add(predictions(p));
        }
        return out;
    }

    private static List<Prediction> predictions(ImagePrediction p) {
        if (!p.ok()) {
            throw new IllegalArgumentException(p.error());
        }
        List<Prediction> out = new ArrayList<>();
        for (ImagePrediction.RankedClass c : p.top()) {
            out.add(new Prediction(c.label(), c.index(), c.probability()));
        }
        return out;
    }

    /** The class names, in index order (empty when the model records none). */
    public List<String> classNames() {
        return batch.preprocessing().classNames();
    }

    /** The preprocessing applied to every image. */
    public Preprocessing preprocessing() {
        return batch.preprocessing();
    }

    /** True when the model records no preprocessing and a documented guess stands in. */
    public boolean preprocessingGuessed() {
        return batch.guessed();
    }

    @Override
    public void close() {
        batch.close();
    }
}
