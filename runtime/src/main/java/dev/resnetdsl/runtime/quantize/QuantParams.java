package dev.resnetdsl.runtime.quantize;

/**
 * One activation's affine quantization: {@code real = scale · (q − zeroPoint)}, q in the type's range.
 *
 * @param scale the step between neighbouring quantized values (positive)
 * @param zeroPoint the quantized value that stands for 0 (exactly)
 * @param type the 8-bit type
 */
record QuantParams(float scale, int zeroPoint, ActivationType type) {
    /**
     * The asymmetric parameters that cover {@code [lo, hi]}, widened to contain 0 (so that 0 — zero padding, ReLU's
     * floor — is exact): {@code scale = (hi − lo)/(max − min)}, {@code zeroPoint = round(min − lo/scale)} clamped to
     * the type. A range of zero width (a value that is always 0) gets scale 1.
     */
    static QuantParams covering(double lo, double hi, ActivationType type) {
        double low = Math.min(lo, 0);
        double high = Math.max(hi, 0);
        double levels = type.max() - type.min();
        float scale = (float) ((high - low) / levels);
        if (!(scale > 0) || !Float.isFinite(scale) || scale < Float.MIN_NORMAL) {
            return new QuantParams(1f, low < 0 ? type.max() : type.min(), type);
        }
        long zp = Math.round(type.min() - low / scale);
        int zeroPoint = (int) Math.max(type.min(), Math.min(type.max(), zp));
        return new QuantParams(scale, zeroPoint, type);
    }
}
