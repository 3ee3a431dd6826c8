package dev.resnetdsl.runtime.onnx;

import com.google.protobuf.UnsafeByteOperations;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Converts between the project's {@link Tensor} and ONNX {@link TensorProto}. Tensors are written as
 * little-endian {@code raw_data} (what ONNX's own tools write); reading also accepts the typed
 * {@code float_data}/{@code int64_data} fields that some exporters use.
 */
public final class TensorProtos {
    private TensorProtos() {}

    /** The ONNX element type of a {@link DType}. */
    public static int elementType(DType dtype) {
        return dtype == DType.F32 ? TensorProto.DataType.FLOAT_VALUE : TensorProto.DataType.INT64_VALUE;
    }

    /** A named, dense tensor proto holding {@code t}'s data as raw little-endian bytes. */
    public static TensorProto toProto(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(elementType(t.dtype()));
        for (int d : t.shape()) {
            b.addDims(d);
        }
        ByteBuffer buffer =
                ByteBuffer.allocate(t.elements() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F32) {
            buffer.asFloatBuffer().put(t.floats());
        } else {
            buffer.asLongBuffer().put(t.longs());
        }
        // The array is fresh and never written again, so wrapping it without a copy is safe.
        return b.setRawData(UnsafeByteOperations.unsafeWrap(buffer.array())).build();
    }

    /** Elements of the largest array a tensor may have (Java arrays stop a little below 2^31). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * A named tensor proto of 8-bit integers ({@code TensorProto.DataType.INT8_VALUE} or {@code UINT8_VALUE}) held as
     * raw bytes: quantized weights and zero points.
     */
    public static TensorProto bytes(String name, int elementType, int[] shape, byte[] values) {
        if (elementType != TensorProto.DataType.INT8_VALUE && elementType != TensorProto.DataType.UINT8_VALUE) {
            throw new IllegalArgumentException(
                    "8-bit tensors are INT8 or UINT8, not " + TensorProto.DataType.forNumber(elementType));
        }
        checkCount(name, values.length, Tensor.elementCount(shape));
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(elementType);
        for (int d : shape) {
            b.addDims(d);
        }
        return b.setRawData(com.google.protobuf.ByteString.copyFrom(values)).build();
    }

    /** A named INT32 tensor proto held as raw little-endian bytes: quantized biases. */
    public static TensorProto int32s(String name, int[] shape, int[] values) {
        checkCount(name, values.length, Tensor.elementCount(shape));
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT32_VALUE);
        for (int d : shape) {
            b.addDims(d);
        }
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values);
        return b.setRawData(UnsafeByteOperations.unsafeWrap(buffer.array())).build();
    }

    /**
     * Reads a dense float or int64 tensor held in the proto itself.
     *
     * @throws IllegalArgumentException when the proto's type, shape or data are not usable (the message names
     *     the tensor)
     */
    public static Tensor fromProto(TensorProto p) {
        String name = p.getName();
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' keeps its data in an external file; read it with OnnxModels.load(Path)");
        }
        int[] shape = new int[p.getDimsCount()];
        for (int i = 0; i < shape.length; i++) {
            long d = p.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' has dimension " + d);
            }
            shape[i] = (int) d;
        }
        long n;
        try {
            n = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' shape " + Arrays.toString(shape) + " is too large");
        }
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("tensor '" + name + "' shape " + Arrays.toString(shape) + " has " + n
                    + " elements, more than one array holds");
        }
        int type = p.getDataType();
        // The data is checked against the shape before the array is made: a file of a few bytes declaring a
        // [2^30] tensor made this allocate 4 GB, and one past 2^31 elements threw ArithmeticException (found by
        // fuzzing). The data is in memory already, so the array is bounded by the file's size.
        if (type == TensorProto.DataType.FLOAT_VALUE) {
            if (p.hasRawData()) {
                checkBytes(name, p.getRawData().size(), n * 4);
            } else {
                checkCount(name, p.getFloatDataCount(), n);
            }
            float[] values = new float[(int) n];
            if (p.hasRawData()) {
                p.getRawData()
                        .asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(values);
            } else {
                for (int i = 0; i < values.length; i++) {
                    values[i] = p.getFloatData(i);
                }
            }
            return Tensor.ofFloats(shape, values);
        }
        if (type == TensorProto.DataType.INT64_VALUE) {
            if (p.hasRawData()) {
                checkBytes(name, p.getRawData().size(), n * 8);
            } else {
                checkCount(name, p.getInt64DataCount(), n);
            }
            long[] values = new long[(int) n];
            if (p.hasRawData()) {
                p.getRawData()
                        .asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asLongBuffer()
                        .get(values);
            } else {
                for (int i = 0; i < values.length; i++) {
                    values[i] = p.getInt64Data(i);
                }
            }
            return Tensor.ofLongs(shape, values);
        }
        throw new IllegalArgumentException("tensor '" + name + "' has ONNX element type "
                + TensorProto.DataType.forNumber(type) + "; only FLOAT and INT64 are supported");
    }

    private static void checkBytes(String name, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' has " + actual + " bytes of raw data, its shape needs " + expected);
        }
    }

    private static void checkCount(String name, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' has " + actual + " values, its shape needs " + expected);
        }
    }
}
