package dev.resnetdsl.runtime.quantize;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.util.List;

/**
 * What a quantized model records about how it was made, as JSON in its ONNX metadata under {@link #METADATA_KEY}
 * (next to the float model's own entries, {@code resnet.preprocessing} among them, which are kept).
 *
 * @param format {@code qdq} or {@code qlinear}
 * @param weights how weights are stored ({@code int8, symmetric, per output channel})
 * @param activations how activations are stored ({@code uint8, asymmetric, per tensor})
 * @param method the calibration method ({@code minmax}, {@code percentile}, {@code entropy})
 * @param percentile the percentile, for the percentile method; null otherwise
 * @param images how many calibration images ran through the float model
 * @param seed the seed that chose them, or null when they were not sampled
 * @param data where the calibration images came from
 * @param floatFirstConv whether the first convolution was kept in float
 * @param floatClassifier whether the classifier was kept in float
 * @param floatNodes further nodes kept in float by name
 * @param tool the quantizer ({@code resnet-dsl 0.1.0})
 */
public record QuantizationRecord(
        String format,
        String weights,
        String activations,
        String method,
        Double percentile,
        long images,
        Long seed,
        String data,
        boolean floatFirstConv,
        boolean floatClassifier,
        List<String> floatNodes,
        String tool) {
    /** The ONNX metadata key. */
    public static final String METADATA_KEY = "resnet.quantization";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    public QuantizationRecord {
        floatNodes = floatNodes == null ? List.of() : List.copyOf(floatNodes);
    }

    /** The JSON written to the metadata. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /** Reads {@link #toJson}'s output; an {@link IllegalArgumentException} when it is not such a record. */
    public static QuantizationRecord fromJson(String json) {
        try {
            QuantizationRecord r = GSON.fromJson(json, QuantizationRecord.class);
            if (r == null || r.format() == null || r.method() == null) {
                throw new IllegalArgumentException("the quantization record is incomplete");
            }
            return r;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the quantization record is not valid JSON: " + e.getMessage());
        }
    }

    /** One line: {@code qdq, uint8 activations, minmax over 512 images (seed 0) from …}. */
    public String describe() {
        return format + ", weights " + weights + ", activations " + activations + "; calibration " + method
                + (percentile == null ? "" : " " + percentile + "%") + " over " + images + " images"
                + (seed == null ? "" : " (seed " + seed + ")") + " from " + data;
    }
}
