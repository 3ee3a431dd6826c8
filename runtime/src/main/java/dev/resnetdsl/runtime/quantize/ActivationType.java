package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import java.util.Locale;

/** The 8-bit type activations are stored in between int8 operators (weights are always signed int8). */
public enum ActivationType {
    /** Unsigned 0…255 with a zero point: what x86's VNNI and AVX2 kernels multiply against signed weights. */
    UINT8(0, 255, TensorProto.DataType.UINT8_VALUE),
    /** Signed −128…127 with a zero point. */
    INT8(-128, 127, TensorProto.DataType.INT8_VALUE);

    private final int min;
    private final int max;
    private final int onnxType;

    ActivationType(int min, int max, int onnxType) {
        this.min = min;
        this.max = max;
        this.onnxType = onnxType;
    }

    /** Smallest quantized value. */
    public int min() {
        return min;
    }

    /** Largest quantized value. */
    public int max() {
        return max;
    }

    /** ONNX's element type number. */
    int onnxType() {
        return onnxType;
    }

    /** {@code uint8} or {@code int8}, as on command lines and in metadata. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type called {@code label} ({@code uint8}/{@code u8}, {@code int8}/{@code s8}). */
    public static ActivationType parse(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "uint8", "u8" -> UINT8;
            case "int8", "s8" -> INT8;
            default -> throw new IllegalArgumentException(
                    "unknown activation type '" + label + "' (choose uint8 or int8)");
        };
    }
}
