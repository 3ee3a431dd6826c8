package dev.resnetdsl.runtime.quantize;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How {@link Quantizer} quantizes a model. The defaults are the measured choices recorded in docs/quantization.md.
 *
 * @param method how activation ranges are chosen from the calibration images
 * @param percentile for {@link CalibrationMethod#PERCENTILE}: the share of values (in percent, above 50 and at most
 *     100) kept inside the range on each side that has values
 * @param format how int8 operators are written
 * @param activations the 8-bit type of activations
 * @param floatFirstConv keep the convolution that reads the image in float
 * @param floatClassifier keep the fully connected classifier ({@code Gemm}) in float
 * @param floatNodes further nodes to keep in float, by node name, by the name of the value they write, or by layer
 *     name (a convolution or fully connected layer is named after its weight: {@code layer4.2.conv3} for
 *     {@code layer4.2.conv3.weight})
 */
public record QuantizeOptions(
        CalibrationMethod method,
        double percentile,
        OperatorFormat format,
        ActivationType activations,
        boolean floatFirstConv,
        boolean floatClassifier,
        Set<String> floatNodes) {
    /** The default percentile: 99.999% of the values of each tail are kept. */
    public static final double DEFAULT_PERCENTILE = 99.999;

    public QuantizeOptions {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(activations, "activations");
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("the percentile must be above 50 and at most 100, got " + percentile);
        }
        floatNodes = Set.copyOf(new TreeSet<>(floatNodes == null ? Set.of() : floatNodes));
    }

    /** The measured defaults (docs/quantization.md). */
    public static QuantizeOptions defaults() {
        return new QuantizeOptions(
                CalibrationMethod.MINMAX,
                DEFAULT_PERCENTILE,
                OperatorFormat.QDQ,
                ActivationType.UINT8,
                false,
                true,
                Set.of());
    }

    public QuantizeOptions withMethod(CalibrationMethod m) {
        return new QuantizeOptions(m, percentile, format, activations, floatFirstConv, floatClassifier, floatNodes);
    }

    public QuantizeOptions withPercentile(double p) {
        return new QuantizeOptions(method, p, format, activations, floatFirstConv, floatClassifier, floatNodes);
    }

    public QuantizeOptions withFormat(OperatorFormat f) {
        return new QuantizeOptions(method, percentile, f, activations, floatFirstConv, floatClassifier, floatNodes);
    }

    public QuantizeOptions withActivations(ActivationType a) {
        return new QuantizeOptions(method, percentile, format, a, floatFirstConv, floatClassifier, floatNodes);
    }

    public QuantizeOptions withFloatFirstConv(boolean keep) {
        return new QuantizeOptions(method, percentile, format, activations, keep, floatClassifier, floatNodes);
    }

    public QuantizeOptions withFloatClassifier(boolean keep) {
        return new QuantizeOptions(method, percentile, format, activations, floatFirstConv, keep, floatNodes);
    }

    public QuantizeOptions withFloatNodes(Set<String> names) {
        return new QuantizeOptions(method, percentile, format, activations, floatFirstConv, floatClassifier, names);
    }
}
