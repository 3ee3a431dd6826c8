package dev.resnetdsl.runtime.inference;

import java.util.Map;

/**
 * What a classifier's output holds, recorded in the model's ONNX metadata ({@link #METADATA_KEY}) so that a reader
 * never has to guess: raw {@link #LOGITS} (a softmax turns them into probabilities) or {@link #PROBABILITIES}
 * already (ensembles average their members' softmax).
 */
public enum OutputKind {
    LOGITS,
    PROBABILITIES;

    /** The ONNX metadata key. */
    public static final String METADATA_KEY = "resnet.output";

    /** The value written under {@link #METADATA_KEY}. */
    public String metadataValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The kind a model declares; models without the key (foreign exports) hold logits, except files from before
     * the key existed whose output is named {@code probabilities} (this project's older ensembles).
     */
    public static OutputKind of(Map<String, String> metadata, String outputName) {
        String v = metadata.get(METADATA_KEY);
        if (v == null) {
            return "probabilities".equals(outputName) ? PROBABILITIES : LOGITS;
        }
        for (OutputKind k : values()) {
            if (k.metadataValue().equals(v)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "model metadata " + METADATA_KEY + " is '" + v + "', expected logits or probabilities");
    }
}
