package dev.resnetdsl.runtime.weights;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.Parameter;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads tensors for a network's parameters from a file: safetensors (torchvision state-dict names) or a foreign
 * ONNX model (see {@link OnnxWeightImporter}), chosen by the file name's extension. {@link Weights} is the public
 * entry; this class only reads.
 */
final class WeightFiles {
    private WeightFiles() {}

    /** Every parameter of {@code network} from the file, each checked against its shape. */
    static Map<String, Tensor> read(Network network, Path file) throws IOException {
        return switch (kind(file)) {
            case ONNX -> OnnxWeightImporter.load(network, file);
            case SAFETENSORS -> fromSafetensors(network, file);
        };
    }

    /**
     * What the file has under the network's parameter names (shapes unchecked, extra tensors kept), for a partial
     * load. A foreign ONNX model without torchvision names is matched by structure, which needs every shape to
     * agree.
     */
    static Map<String, Tensor> readMatching(Network network, Path file) throws IOException {
        return switch (kind(file)) {
            case ONNX -> OnnxWeightImporter.loadMatching(network, file);
            case SAFETENSORS -> Safetensors.read(file).tensors();
        };
    }

    private enum Kind {
        ONNX,
        SAFETENSORS
    }

    private static Kind kind(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            return Kind.ONNX;
        }
        if (name.endsWith(".safetensors")) {
            return Kind.SAFETENSORS;
        }
        throw new IllegalArgumentException(file + ": weights must be a .safetensors or .onnx file");
    }

    private static Map<String, Tensor> fromSafetensors(Network network, Path file) throws IOException {
        TensorFile tf = Safetensors.read(file);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Parameter p : network.parameters().values()) {
            Tensor t = tf.tensors().get(p.name());
            if (t == null) {
                throw new IllegalArgumentException(file + ": no tensor '" + p.name() + "' (" + network.name()
                        + " needs F32" + Arrays.toString(p.shape()) + ")");
            }
            if (t.dtype() != DType.F32 || !t.hasShape(p.shape())) {
                throw new IllegalArgumentException(file + ": tensor '" + p.name() + "' is " + t.describe() + ", "
                        + network.name() + " needs F32" + Arrays.toString(p.shape()));
            }
            result.put(p.name(), t);
        }
        return result;
    }
}
