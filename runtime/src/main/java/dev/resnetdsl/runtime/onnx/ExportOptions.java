package dev.resnetdsl.runtime.onnx;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link OnnxExporter} writes a model.
 *
 * @param opset default-domain opset, {@value #MIN_OPSET} to {@value #MAX_OPSET} (default {@value #DEFAULT_OPSET})
 * @param foldBn fold each BatchNormalization into the convolution before it (inference only)
 * @param docString the model's doc string; empty for a generated one
 * @param metadata extra {@code metadata_props} entries, added after the network's own metadata
 * @param externalDataThreshold tensors of at least this many bytes go to an external data file; {@code -1} (the
 *     default) does so only when the model would exceed protobuf's 2 GB limit, then for tensors of 1 KiB or more
 * @param preprocessing the input pipeline and class names to record in the model's metadata, or {@code null}
 *     (the default) for none
 */
public record ExportOptions(
        int opset,
        boolean foldBn,
        String docString,
        Map<String, String> metadata,
        long externalDataThreshold,
        Preprocessing preprocessing) {
    /** Lowest selectable opset. */
    public static final int MIN_OPSET = 13;
    /** Highest selectable opset. */
    public static final int MAX_OPSET = 21;
    /** Default opset. */
    public static final int DEFAULT_OPSET = 17;

    public ExportOptions {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException(
                    "opset " + opset + " is not supported; choose " + MIN_OPSET + " to " + MAX_OPSET);
        }
        if (externalDataThreshold < -1) {
            throw new IllegalArgumentException("external data threshold must be ≥ 0 (or -1 for automatic)");
        }
        docString = docString == null ? "" : docString;
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Opset 17, BN kept, generated doc string, no extra metadata, external data only above 2 GB. */
    public static ExportOptions defaults() {
        return new ExportOptions(DEFAULT_OPSET, false, "", Map.of(), -1, null);
    }

    public ExportOptions withOpset(int newOpset) {
        return new ExportOptions(newOpset, foldBn, docString, metadata, externalDataThreshold, preprocessing);
    }

    public ExportOptions withFoldBn(boolean fold) {
        return new ExportOptions(opset, fold, docString, metadata, externalDataThreshold, preprocessing);
    }

    public ExportOptions withDocString(String doc) {
        return new ExportOptions(opset, foldBn, doc, metadata, externalDataThreshold, preprocessing);
    }

    public ExportOptions withMetadata(Map<String, String> extra) {
        return new ExportOptions(opset, foldBn, docString, extra, externalDataThreshold, preprocessing);
    }

    public ExportOptions withExternalDataThreshold(long bytes) {
        return new ExportOptions(opset, foldBn, docString, metadata, bytes, preprocessing);
    }

    /** Recording {@code p} (input pipeline and class names) in the model's metadata. */
    public ExportOptions withPreprocessing(Preprocessing p) {
        return new ExportOptions(opset, foldBn, docString, metadata, externalDataThreshold, p);
    }
}
