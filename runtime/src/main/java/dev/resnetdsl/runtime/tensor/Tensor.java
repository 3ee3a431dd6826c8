package dev.resnetdsl.runtime.tensor;

import java.util.Arrays;

/**
 * A dense, row-major tensor of {@code float} or {@code long} values held in a Java array. Immutable by
 * convention: the arrays handed out are the tensor's own, so callers must not modify them after
 * construction unless they own the tensor.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final float[] floats;
    private final long[] longs;

    private Tensor(DType dtype, int[] shape, float[] floats, long[] longs) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.longs = longs;
        long expected = elementCount(this.shape);
        long actual = floats != null ? floats.length : longs.length;
        if (expected != actual) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + expected + " elements, data has " + actual);
        }
    }

    /** A float tensor over {@code data} (not copied). */
    public static Tensor ofFloats(int[] shape, float[] data) {
        return new Tensor(DType.F32, shape, data, null);
    }

    /** An int64 tensor over {@code data} (not copied). */
    public static Tensor ofLongs(int[] shape, long[] data) {
        return new Tensor(DType.I64, shape, null, data);
    }

    /** A float tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return ofFloats(shape, new float[Math.toIntExact(elementCount(shape))]);
    }

    /** A float scalar (shape []). */
    public static Tensor scalar(float value) {
        return ofFloats(new int[0], new float[] {value});
    }

    /** Number of elements of a shape; 1 for a scalar. */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Extent of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Number of elements. */
    public int elements() {
        return floats != null ? floats.length : longs.length;
    }

    /** The float data (not a copy); fails for int64 tensors. */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("tensor is " + dtype + ", not F32");
        }
        return floats;
    }

    /** The int64 data (not a copy); fails for float tensors. */
    public long[] longs() {
        if (longs == null) {
            throw new IllegalStateException("tensor is " + dtype + ", not I64");
        }
        return longs;
    }

    /** True when the shapes are equal. */
    public boolean hasShape(int... other) {
        return Arrays.equals(shape, other);
    }

    /** {@code F32[2, 3]}. */
    public String describe() {
        return dtype + Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return describe();
    }
}
