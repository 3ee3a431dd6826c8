package dev.resnetdsl.runtime.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named tensors plus string metadata, as stored in one safetensors file. Iteration order is the order
 * the tensors were added (or appear in the file's data section).
 */
public record TensorFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public TensorFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensor of that name, or an {@link IllegalArgumentException} naming what is there instead. */
    public Tensor require(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' (the file has "
                    + (tensors.size() <= 8 ? tensors.keySet() : tensors.size() + " tensors") + ")");
        }
        return t;
    }
}
