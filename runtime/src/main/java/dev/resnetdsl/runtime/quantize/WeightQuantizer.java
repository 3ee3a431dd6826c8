package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.tensor.Tensor;

/**
 * Weights and biases of int8 operators. Weights: symmetric int8 per output channel, {@code q = round(w / s)} in
 * [−127, 127] with {@code s = max|w| / 127} and zero point 0 (−128 is left out so that the range is symmetric and a
 * sign flip cannot overflow). Biases: int32 with scale {@code inputScale · weightScale[c]} and zero point 0 — the
 * scale an integer convolution's accumulator has, so the bias adds to it directly.
 */
final class WeightQuantizer {
    /** Largest magnitude of a quantized weight. */
    static final int WEIGHT_MAX = 127;

    private WeightQuantizer() {}

    /**
     * A weight quantized per channel of {@code axis}.
     *
     * @param values int8 values in the weight's layout
     * @param scales one positive scale per channel
     */
    record Quantized(byte[] values, float[] scales) {}

    /** {@code weight} quantized per channel along {@code axis} (0 for Conv and Gemm with transB, 1 for Gemm without). */
    static Quantized perChannel(Tensor weight, int axis) {
        int channels = weight.dim(axis);
        int inner = 1;
        for (int d = axis + 1; d < weight.rank(); d++) {
            inner *= weight.dim(d);
        }
        float[] w = weight.floats();
        float[] absMax = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            absMax[c] = Math.max(absMax[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            // An all-zero channel (a zero-initialised BN γ folded in) quantizes to zeros at any scale; 1 keeps it
            // valid.
            scales[c] = absMax[c] > 0 ? absMax[c] / WEIGHT_MAX : 1f;
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            double v = Math.rint(w[i] / scales[c]);
            q[i] = (byte) Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, v));
        }
        return new Quantized(q, scales);
    }

    /** The scales of a bias added to an accumulator of {@code inputScale} × {@code weightScales}. */
    static float[] biasScales(float inputScale, float[] weightScales) {
        float[] s = new float[weightScales.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = inputScale * weightScales[c];
        }
        return s;
    }

    /** {@code round(bias[c] / scales[c])}, saturated to int32. */
    static int[] bias(float[] bias, float[] scales) {
        int[] q = new int[bias.length];
        for (int c = 0; c < q.length; c++) {
            double v = Math.rint(bias[c] / (double) scales[c]);
            q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        return q;
    }
}
