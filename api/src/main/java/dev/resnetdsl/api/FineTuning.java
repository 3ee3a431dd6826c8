package dev.resnetdsl.api;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.BundleOptions;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.graph.Freezing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The start of a fine-tuning run: a network, the pretrained weights it starts from, whether its classifier is
 * new, which parts stay frozen, and the SGD settings — written as a training bundle that {@code resnet train}
 * (or the trainer) then trains. What the CLI's {@code train-artifacts --weights W --new-head --freeze …} does.
 *
 * <pre>{@code
 * Weights.LoadReport report = FineTuning.of(ResNet18.network(), Path.of("resnet18-torchvision.onnx"))
 *         .withNewHead(true)
 *         .withFreeze(List.of("backbone"))
 *         .writeBundle(Path.of("runs/birds"));
 * }</pre>
 *
 * <p>The preprocessing comes with the weights: the one an exported model records in its metadata, or the one
 * the bundle next to a checkpoint records; torchvision's (and ONNX Model Zoo's) ImageNet normalisation for
 * other 3-channel weights; otherwise the trainer fits one to the data. Class names never carry over to a new
 * head.
 *
 * @param network the network to fine-tune (its classifier may have another number of classes)
 * @param weights the pretrained weights: .safetensors with torchvision names, or an .onnx model
 * @param newHead load what fits and re-initialise the classifier where its shape differs
 * @param freeze parts kept fixed, named as the spec names them (see {@link Freezing#byName})
 * @param hyperparameters SGD settings
 */
public record FineTuning(
        Network network, Path weights, boolean newHead, List<String> freeze, Hyperparameters hyperparameters) {
    public FineTuning {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(weights, "weights");
        freeze = List.copyOf(freeze);
        Objects.requireNonNull(hyperparameters, "hyperparameters");
    }

    /** Fine-tuning {@code network} from {@code weights}: every parameter loaded, nothing frozen, the paper's SGD. */
    public static FineTuning of(Network network, Path weights) {
        return new FineTuning(network, weights, false, List.of(), Hyperparameters.defaults());
    }

    /** With a new classifier (re-initialised where the pretrained one's shape differs). */
    public FineTuning withNewHead(boolean fresh) {
        return new FineTuning(network, weights, fresh, freeze, hyperparameters);
    }

    /** With these parts frozen ({@code stem}, stage names, {@code backbone}, {@code head}). */
    public FineTuning withFreeze(List<String> parts) {
        return new FineTuning(network, weights, newHead, parts, hyperparameters);
    }

    /** With other SGD settings. */
    public FineTuning withHyperparameters(Hyperparameters hp) {
        return new FineTuning(network, weights, newHead, freeze, hp);
    }

    /** The starting weights, and what loading them did. */
    public Weights.Loaded load() throws IOException {
        if (newHead) {
            return Weights.loadForNewHead(network, weights);
        }
        Weights w = Weights.load(network, weights);
        return new Weights.Loaded(
                w, new Weights.LoadReport(List.copyOf(w.asMap().keySet()), List.of(), List.of()));
    }

    /**
     * Writes the training bundle into {@code dir}.
     *
     * @return what was loaded, re-initialised and ignored
     */
    public Weights.LoadReport writeBundle(Path dir) throws IOException {
        Weights.Loaded loaded = load();
        BundleOptions options = BundleOptions.of(hyperparameters);
        if (!freeze.isEmpty()) {
            options = options.withFreezing(Freezing.byName(network, freeze));
        }
        Preprocessing p = preprocessing();
        if (p != null) {
            options = options.withPreprocessing(p);
        }
        TrainingBundle.write(dir, loaded.weights(), options);
        return loaded.report();
    }

    /**
     * The preprocessing the pretrained weights imply for this network, or {@code null} when nothing is known (the
     * trainer then fits one).
     */
    public Preprocessing preprocessing() throws IOException {
        Preprocessing recorded = recordedWith(weights);
        var in = network.input();
        if (recorded != null) {
            if (recorded.channels() == in.channels()
                    && recorded.height() == in.height()
                    && recorded.width() == in.width()) {
                return newHead ? recorded.withClassNames(List.of()) : recorded;
            }
            // Another input size: keep the normalisation, size the rest for this network.
            return Preprocessing.imagenet(in.height(), in.width(), List.of())
                    .withNormalization(
                            recorded.normalization().kind()
                                            == dev.resnetdsl.runtime.preprocess.Normalization.Kind.PER_PIXEL
                                    ? dev.resnetdsl.runtime.preprocess.Normalization.imagenet()
                                    : recorded.normalization());
        }
        if (in.channels() == 3) {
            return Preprocessing.imagenet(in.height(), in.width(), List.of());
        }
        return null;
    }

    /** The preprocessing a weights file carries: ONNX metadata, or the manifest of the bundle it belongs to. */
    private static Preprocessing recordedWith(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            Onnx.ModelProto model = OnnxFiles.read(file);
            for (Onnx.StringStringEntryProto e : model.getMetadataPropsList()) {
                if (e.getKey().equals(Preprocessing.METADATA_KEY)) {
                    return Preprocessing.fromJson(e.getValue());
                }
            }
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path manifest = dir == null ? null : dir.resolve(Manifest.FILE);
        if (manifest != null
                && file.getFileName().toString().equals(TrainingBundle.CHECKPOINT_FILE)
                && Files.isRegularFile(manifest)) {
            return Manifest.read(manifest).preprocessing();
        }
        return null;
    }
}
