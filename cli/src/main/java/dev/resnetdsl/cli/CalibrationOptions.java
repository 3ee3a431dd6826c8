package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.quantize.ActivationType;
import dev.resnetdsl.runtime.quantize.CalibrationMethod;
import dev.resnetdsl.runtime.quantize.OperatorFormat;
import dev.resnetdsl.runtime.quantize.QuantizeOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The int8 options that {@code quantize} and {@code export --int8} share (a picocli mixin): where the calibration
 * images come from, how many, and the quantizer's choices (defaults: the measured ones of docs/quantization.md).
 */
final class CalibrationOptions {
    /** Calibration images by default: see docs/quantization.md for accuracy against the count. */
    static final int DEFAULT_IMAGES = 512;

    @Option(
            names = "--calibrate",
            paramLabel = "SOURCE",
            description = "calibration images: mnist:DIR, cifar10:DIR, folder:DIR (their training split) or a folder of"
                    + " images")
    String calibrate;

    @Option(
            names = "--images",
            paramLabel = "N",
            defaultValue = "" + DEFAULT_IMAGES,
            description = "calibration images, chosen with --calibration-seed (default: ${DEFAULT-VALUE})")
    int images;

    @Option(
            names = "--calibration-seed",
            paramLabel = "S",
            defaultValue = "0",
            description = "seed that chooses the calibration images (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--method",
            paramLabel = "M",
            defaultValue = "minmax",
            description = "activation ranges: minmax, percentile or entropy (default: ${DEFAULT-VALUE})")
    String method;

    @Option(
            names = "--percentile",
            paramLabel = "P",
            defaultValue = "" + QuantizeOptions.DEFAULT_PERCENTILE,
            description = "for --method percentile: percent of values kept per tail (default: ${DEFAULT-VALUE})")
    double percentile;

    @Option(
            names = "--format",
            paramLabel = "F",
            defaultValue = "qdq",
            description = "int8 operators as qdq (QuantizeLinear/DequantizeLinear pairs) or qlinear (QLinearConv)"
                    + " (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--activations",
            paramLabel = "T",
            defaultValue = "uint8",
            description = "8-bit type of activations: uint8 or int8 (default: ${DEFAULT-VALUE})")
    String activations;

    @Option(
            names = "--keep-float",
            paramLabel = "LAYERS",
            split = ",",
            defaultValue = "classifier",
            description = "layers left in float: first-conv, classifier, node names, or none"
                    + " (default: ${DEFAULT-VALUE})")
    List<String> keepFloat;

    @Option(
            names = "--compare",
            paramLabel = "N",
            defaultValue = "0",
            description = "afterwards, compare int8 with float on up to N held-out images (the data set's test split,"
                    + " or the folder's images not used for calibration)")
    int compare;

    /** The quantizer options these flags describe. */
    QuantizeOptions options() {
        if (images < 1) {
            throw new UserError("--images must be at least 1");
        }
        if (compare < 0) {
            throw new UserError("--compare must be 0 or more");
        }
        boolean firstConv = false;
        boolean classifier = false;
        Set<String> names = new HashSet<>();
        for (String k : keepFloat) {
            switch (k.trim()) {
                case "first-conv" -> firstConv = true;
                case "classifier" -> classifier = true;
                case "none", "" -> {}
                default -> names.add(k.trim());
            }
        }
        try {
            return QuantizeOptions.defaults()
                    .withMethod(CalibrationMethod.parse(method))
                    .withPercentile(percentile)
                    .withFormat(OperatorFormat.parse(format))
                    .withActivations(ActivationType.parse(activations))
                    .withFloatFirstConv(firstConv)
                    .withFloatClassifier(classifier)
                    .withFloatNodes(names);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
