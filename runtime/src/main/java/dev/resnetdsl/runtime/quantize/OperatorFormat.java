package dev.resnetdsl.runtime.quantize;

import java.util.Locale;

/** How int8 operators are written in the ONNX graph; both are standard ONNX (default domain only). */
public enum OperatorFormat {
    /**
     * Float operators between {@code DequantizeLinear} and {@code QuantizeLinear} pairs, with int8 weights and int32
     * biases behind {@code DequantizeLinear}: the form ONNX Runtime, TensorRT and OpenVINO fuse into their int8
     * kernels.
     */
    QDQ,
    /**
     * Convolutions as {@code QLinearConv} (int8 in, int8 out); the other int8 operators (residual adds, pooling,
     * the classifier) as in {@link #QDQ}, because the default domain has no QLinear form for them.
     */
    QLINEAR;

    /** {@code qdq} or {@code qlinear}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format called {@code label}. */
    public static OperatorFormat parse(String label) {
        for (OperatorFormat f : values()) {
            if (f.label().equalsIgnoreCase(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown operator format '" + label + "' (choose qdq or qlinear)");
    }
}
