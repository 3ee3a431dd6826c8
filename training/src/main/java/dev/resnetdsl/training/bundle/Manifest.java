package dev.resnetdsl.training.bundle;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.resnetdsl.runtime.io.Printable;
import dev.resnetdsl.runtime.io.StrictJson;
import dev.resnetdsl.runtime.net.NetworkJson;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.training.graph.FlatLayout;
import dev.resnetdsl.training.graph.TrainingGraphs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a training bundle: what the bundle trains and how its flat vectors are laid
 * out, so that a reader needs neither the spec nor the network to use it.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion {@link TrainingGraphs#VERSION} of the writer
 * @param model model name
 * @param networkHash SHA-256 of the network's structure (layers, shapes, parameter names); a checkpoint
 *     carries the same hash, so a checkpoint of another model is refused
 * @param specHash the spec's hash when the network came from a spec, else empty
 * @param inputShape C, H, W of one image
 * @param classes number of classes
 * @param hyperparameters SGD settings (momentum, weight decay and Nesterov are baked into the graph)
 * @param opset ONNX opset of the graphs
 * @param irVersion ONNX IR version of the graphs
 * @param onnxRuntime the ONNX Runtime version the bundle was written for
 * @param parameters layout of the flat {@code params} / {@code momentum} / {@code grads} vectors
 * @param statistics layout of the flat {@code stats} vector (BN running mean and variance)
 * @param files file names inside the bundle
 * @param metadata the network's metadata (spec source, generator version, …)
 * @param preprocessing the input pipeline and class names the model is trained with; {@code null} until decided
 *     (the trainer fits one to the data set before the first step, or the bundle is made with one)
 * @param frozen layout of the flat {@code frozen} vector: frozen parameters and the running statistics of frozen
 *     BN layers (empty when nothing is frozen)
 * @param freeze what the user froze, in their words ({@code stem}, {@code conv2_x}, {@code backbone})
 * @param network the network's structure ({@link NetworkJson}), so that the bundle can be exported without the
 *     spec it came from; absent in bundles written before it was recorded
 */
public record Manifest(
        String format,
        String formatVersion,
        String model,
        String networkHash,
        String specHash,
        int[] inputShape,
        int classes,
        Hyperparameters hyperparameters,
        int opset,
        int irVersion,
        String onnxRuntime,
        List<FlatLayout.Entry> parameters,
        List<FlatLayout.Entry> statistics,
        Map<String, String> files,
        Map<String, String> metadata,
        Preprocessing preprocessing,
        List<FlatLayout.Entry> frozen,
        List<String> freeze,
        JsonObject network) {

    public Manifest {
        // Bundles written before freezing existed have neither field.
        frozen = frozen == null ? List.of() : List.copyOf(frozen);
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
    }

    public static final String FORMAT = "resnet-dsl training bundle";
    public static final String FILE = "manifest.json";

    /** Largest manifest read (a ResNet-1202's is about 200 KB). */
    static final long MAX_BYTES = 64L << 20;
    /** Largest C, H or W of the input. */
    static final int MAX_DIMENSION = 1 << 16;
    /** Most classes a manifest may declare. */
    static final int MAX_CLASSES = 1 << 24;

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The layout of the trainable parameters. */
    public FlatLayout parameterLayout() {
        return new FlatLayout(parameters);
    }

    /** The layout of the BN running statistics. */
    public FlatLayout statisticsLayout() {
        return new FlatLayout(statistics);
    }

    /** This manifest recording {@code p} as the model's preprocessing. */
    public Manifest withPreprocessing(Preprocessing p) {
        requireFits(p);
        return new Manifest(
                format,
                formatVersion,
                model,
                networkHash,
                specHash,
                inputShape,
                classes,
                hyperparameters,
                opset,
                irVersion,
                onnxRuntime,
                parameters,
                statistics,
                files,
                metadata,
                p,
                frozen,
                freeze,
                network);
    }

    /** The layout of the frozen values. */
    public FlatLayout frozenLayout() {
        return new FlatLayout(frozen);
    }

    private void requireFits(Preprocessing p) {
        if (p.channels() != inputShape[0] || p.height() != inputShape[1] || p.width() != inputShape[2]) {
            throw new IllegalArgumentException("preprocessing makes " + p.channels() + "x" + p.height() + "x"
                    + p.width() + " inputs, " + model + " takes " + inputShape[0] + "x" + inputShape[1] + "x"
                    + inputShape[2]);
        }
    }

    /** The manifest as JSON text. */
    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /** Reads and checks a manifest. */
    public static Manifest read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + ": " + Files.size(file) + " bytes is too large for a training-bundle"
                    + " manifest (at most " + MAX_BYTES + ")");
        }
        Manifest m;
        try {
            // Strict: a key given twice (which Gson would resolve silently, to the last) is an error.
            JsonElement tree = StrictJson.parse(Files.readString(file, StandardCharsets.UTF_8));
            m = GSON.fromJson(tree, Manifest.class);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not a valid training-bundle manifest: it is not UTF-8 text", e);
        } catch (RuntimeException e) {
            // Gson wraps what the records' constructors throw on bad values (the preprocessing's checks, say).
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IOException(file + ": not a valid training-bundle manifest: " + oneLine(cause.getMessage()), e);
        }
        if (m == null || !FORMAT.equals(m.format())) {
            throw new IOException(file + ": not a training-bundle manifest (format must be \"" + FORMAT + "\")");
        }
        if (!TrainingGraphs.VERSION.equals(m.formatVersion())) {
            throw new IncompatibleBundleException(file + ": bundle format version " + m.formatVersion()
                    + ", this version of the tools reads version " + TrainingGraphs.VERSION);
        }
        if (m.parameters() == null
                || m.statistics() == null
                || m.inputShape() == null
                || m.inputShape().length != 3
                || m.hyperparameters() == null
                || m.networkHash() == null
                || m.specHash() == null
                || m.model() == null
                || m.classes() < 1) {
            throw new IOException(file + ": manifest is incomplete");
        }
        for (int d : m.inputShape()) {
            if (d < 1 || d > MAX_DIMENSION) {
                throw new IOException(file + ": input shape " + java.util.Arrays.toString(m.inputShape())
                        + " is out of range (each of C, H, W from 1 to " + MAX_DIMENSION + ")");
            }
        }
        if (m.classes() > MAX_CLASSES) {
            throw new IOException(file + ": " + m.classes() + " classes is out of range (at most " + MAX_CLASSES + ")");
        }
        try {
            m.parameterLayout();
            m.statisticsLayout();
            m.frozenLayout();
            if (m.preprocessing() != null) {
                m.requireFits(m.preprocessing());
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return m;
    }

    /** {@code message} up to its first line break (Gson adds a link to its troubleshooting page on a second). */
    private static String oneLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return Printable.text(line.replaceFirst("^[a-z.]+\\.[A-Z][A-Za-z]*(Exception|Error): ", ""), 200);
    }
}
