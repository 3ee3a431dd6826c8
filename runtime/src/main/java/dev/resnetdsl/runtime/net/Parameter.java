package dev.resnetdsl.runtime.net;

import java.util.Arrays;

/**
 * A named parameter tensor of the network, under torchvision's name ({@code layer1.0.conv1.weight}).
 *
 * @param name the name; it is API (ONNX initializers, safetensors, checkpoints)
 * @param shape the tensor shape
 * @param kind what it is
 * @param owner name of the layer it belongs to ({@code layer1.0.conv1})
 */
public record Parameter(String name, int[] shape, ParameterKind kind, String owner) {
    public Parameter {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long elements() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameter p
                && name.equals(p.name)
                && Arrays.equals(shape, p.shape)
                && kind == p.kind
                && owner.equals(p.owner);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
