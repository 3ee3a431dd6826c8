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
import java.util.Map;

/**
 * Loads a network's weights from a file: safetensors (torchvision state-dict names; BN's
 * {@code num_batches_tracked} is ignored) or a foreign ONNX model (see {@link OnnxWeightImporter}), chosen by
 * the file name's extension.
 */
public final class WeightFiles {
    private WeightFiles() {}

    /** Weights for every parameter of {@code network}, in its parameter order. */
    public static Map<String, Tensor> load(Network network, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".onnx")) {
            return OnnxWeightImporter.load(network, file);
        }
        if (name.endsWith(".safetensors")) {
            return fromSafetensors(network, file);
        }
        throw new IllegalArgumentException(file + ": weights must be a .safetensors or .onnx file");
    }

    /** Reads a safetensors file with torchvision names and checks every parameter's shape. */
    public static Map<String, Tensor> fromSafetensors(Network network, Path file) throws IOException {
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
