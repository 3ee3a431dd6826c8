package dev.resnetdsl.runtime.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.runtime.ort.Sessions;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an image classifier (one float input N×C×H×W, one float output N×classes) through ONNX Runtime. The
 * input and output are the model's first ones ({@code input} and {@code logits} for this project's exports);
 * the model's fixed dimensions are checked before each run, so a wrong batch shape is an
 * {@link IllegalArgumentException} naming both shapes rather than an ONNX Runtime error.
 */
public final class Inference implements AutoCloseable {
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final long[] inputShape;
    private final long[] outputShape;
    private final Map<String, String> metadata;
    private final Preprocessing preprocessing;
    private final OutputKind outputKind;

    private Inference(OrtSession session) throws IOException {
        this.session = session;
        try {
            this.metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
            requireOneInputAndOutput(session);
            Map.Entry<String, NodeInfo> in =
                    session.getInputInfo().entrySet().iterator().next();
            Map.Entry<String, NodeInfo> out =
                    session.getOutputInfo().entrySet().iterator().next();
            this.inputName = in.getKey();
            this.outputName = out.getKey();
            this.inputShape = tensorShape(in.getValue(), "input");
            this.outputShape = tensorShape(out.getValue(), "output");
        } catch (OrtException e) {
            close();
            throw new IOException("cannot read the model's inputs and outputs: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        if (inputShape.length != 4) {
            close();
            throw new IOException("the model's input '" + inputName + "' has shape " + Arrays.toString(inputShape)
                    + "; an image classifier takes N×C×H×W");
        }
        if (outputShape.length != 2) {
            close();
            throw new IOException("the model's output '" + outputName + "' has shape " + describeShape(outputShape)
                    + "; an image classifier gives N×classes");
        }
        try {
            String json = metadata.get(Preprocessing.METADATA_KEY);
            this.preprocessing = json == null ? null : Preprocessing.fromJson(json);
            this.outputKind = OutputKind.of(metadata, outputName);
        } catch (IllegalArgumentException e) {
            close();
            throw new IOException("the model's metadata is invalid: " + e.getMessage(), e);
        }
        if (preprocessing != null
                && (inputShape[1] != preprocessing.channels()
                        || (inputShape[2] > 0 && inputShape[2] != preprocessing.height())
                        || (inputShape[3] > 0 && inputShape[3] != preprocessing.width()))) {
            close();
            throw new IOException("the model's preprocessing makes " + preprocessing.channels() + "x"
                    + preprocessing.height() + "x" + preprocessing.width() + " inputs but it takes "
                    + describeShape(inputShape));
        }
    }

    /** The model's custom metadata ({@code metadata_props}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The preprocessing (and class names) the model records, if it records one. */
    public Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(preprocessing);
    }

    /** Whether the output holds logits or probabilities. */
    public OutputKind outputKind() {
        return outputKind;
    }

    /** Opens the model file on {@code device}. */
    public static Inference open(Path model, Device device) throws IOException {
        OrtSession session = Sessions.open(model, device);
        try {
            return new Inference(session);
        } catch (IOException e) {
            throw new IOException(model + ": " + e.getMessage(), e);
        }
    }

    /** Opens a serialised model on {@code device}. */
    public static Inference open(byte[] model, Device device) throws IOException {
        return new Inference(Sessions.open(model, device));
    }

    /** Opens a serialised model with {@code settings} (device and threads). */
    public static Inference open(byte[] model, SessionSettings settings) throws IOException {
        return new Inference(Sessions.open(model, settings));
    }

    /** The model's input shape; −1 marks a symbolic dimension (the batch). */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** The model's output shape; −1 marks a symbolic dimension. */
    public long[] outputShape() {
        return outputShape.clone();
    }

    /** Name of the model's input. */
    public String inputName() {
        return inputName;
    }

    /** Name of the model's output. */
    public String outputName() {
        return outputName;
    }

    /**
     * Runs a float batch N×C×H×W and returns the output (N×classes).
     *
     * @throws IllegalArgumentException when the batch does not fit the model, or the model itself fails in ONNX
     *     Runtime or computes an output of another shape than it declares — a model file is input like any other,
     *     and one whose layers disagree with each other (an fc layer of other classes than its declared output,
     *     say) is a bad file, not a bug in these tools
     */
    public Tensor run(Tensor batch) {
        checkInput(batch);
        long[] shape = Arrays.stream(batch.shape()).asLongStream().toArray();
        try (OnnxTensor x = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(batch.floats()), shape);
                OrtSession.Result result = session.run(Map.of(inputName, x))) {
            OnnxTensor y = (OnnxTensor) result.get(0);
            long[] yShape = y.getInfo().getShape();
            checkOutput(batch.dim(0), yShape);
            FloatBuffer buffer = y.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return Tensor.ofFloats(
                    Arrays.stream(yShape).mapToInt(Math::toIntExact).toArray(), values);
        } catch (OrtException e) {
            throw new IllegalArgumentException("the model failed in ONNX Runtime: " + firstLine(e.getMessage()), e);
        }
    }

    private void checkOutput(int batchSize, long[] actual) {
        boolean ok = actual.length == outputShape.length && actual.length == 2 && actual[0] == batchSize;
        for (int i = 1; ok && i < actual.length; i++) {
            ok = outputShape[i] < 0 || outputShape[i] == actual[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("the model declares its output '" + outputName + "' as "
                    + describeShape(outputShape) + " but computed " + Arrays.toString(actual) + " for " + batchSize
                    + " image(s): its layers disagree with its declared output (an fc layer of another size?)");
        }
    }

    /**
     * An image classifier takes one input; a training-bundle graph (which also takes labels and parameters) or a
     * multi-input model is refused here rather than failing in ONNX Runtime at the first run.
     */
    private static void requireOneInputAndOutput(OrtSession session) throws OrtException, IOException {
        if (session.getInputNames().size() != 1 || session.getOutputNames().isEmpty()) {
            throw new IOException("the model takes " + session.getInputNames().size() + " inputs ("
                    + names(session.getInputNames()) + ") and gives "
                    + session.getOutputNames().size()
                    + " outputs; an image classifier takes one input, the images (a training bundle's graphs are"
                    + " not classifiers)");
        }
    }

    private static String names(java.util.Set<String> names) {
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (String n : names) {
            if (shown == 5) {
                s.append(", …");
                break;
            }
            s.append(shown++ == 0 ? "" : ", ").append(dev.resnetdsl.runtime.io.Printable.name(n));
        }
        return s.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    private void checkInput(Tensor batch) {
        if (batch.dtype() != DType.F32) {
            throw new IllegalArgumentException("input must be float32, got " + batch.describe());
        }
        boolean ok = batch.rank() == inputShape.length && batch.dim(0) >= 1;
        for (int i = 0; ok && i < inputShape.length; i++) {
            ok = inputShape[i] < 0 || inputShape[i] == batch.dim(i);
        }
        if (!ok) {
            throw new IllegalArgumentException("input is " + batch.describe() + ", the model expects "
                    + describeShape(inputShape) + " (N = any batch size)");
        }
    }

    /** {@code [N, 3, 224, 224]}, with symbolic dimensions shown as N. */
    public static String describeShape(long[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "N" : Long.toString(shape[i]));
        }
        return s.append(']').toString();
    }

    private static long[] tensorShape(NodeInfo info, String what) throws IOException {
        if (!(info.getInfo() instanceof TensorInfo t)) {
            throw new IOException("the model's " + what + " '" + info.getName() + "' is not a tensor");
        }
        if (t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new IOException("the model's " + what + " '" + info.getName() + "' is " + t.type + ", not float32");
        }
        return t.getShape();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; there is nothing a caller could do about a failure.
        }
    }
}
