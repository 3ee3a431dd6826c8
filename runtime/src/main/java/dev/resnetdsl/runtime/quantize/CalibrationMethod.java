package dev.resnetdsl.runtime.quantize;

import java.util.Locale;

/**
 * How an activation's int8 range is chosen from what the calibration images produced (see docs/quantization.md
 * for the measured comparison).
 */
public enum CalibrationMethod {
    /** The smallest and largest value seen: nothing clips, but one outlier widens every step. */
    MINMAX,
    /**
     * The values between two percentiles of the histogram ({@link QuantizeOptions#percentile()}, 99.999 by
     * default, of each tail that holds values): rare outliers clip, the common values get finer steps.
     */
    PERCENTILE,
    /**
     * The clipping threshold whose quantized histogram is closest to the original in Kullback–Leibler divergence
     * (TensorRT's entropy calibration, over 2048 bins of |x|).
     */
    ENTROPY;

    /** The name used on command lines and in metadata ({@code minmax}, …). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method called {@code label}, or an {@link IllegalArgumentException} listing the choices. */
    public static CalibrationMethod parse(String label) {
        for (CalibrationMethod m : values()) {
            if (m.label().equalsIgnoreCase(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown calibration method '" + label + "' (choose minmax, percentile or entropy)");
    }
}
