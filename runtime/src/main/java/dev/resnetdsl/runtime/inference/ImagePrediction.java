package dev.resnetdsl.runtime.inference;

import java.util.List;

/**
 * The result for one image: its most probable classes, or why it could not be classified.
 *
 * @param id the image's identifier ({@link ImageSource#id()})
 * @param top the most probable classes, most probable first (empty when {@code error} is set)
 * @param logits the model's raw output row (for {@link OutputKind#PROBABILITIES} models, the probabilities), or
 *     {@code null} when {@code error} is set
 * @param error why the image could not be classified, or {@code null}
 */
public record ImagePrediction(String id, List<RankedClass> top, float[] logits, String error) {
    public ImagePrediction {
        top = List.copyOf(top);
    }

    /**
     * One class and its probability.
     *
     * @param index the class index
     * @param label the class name the model records, or the index as text
     * @param probability softmax probability, 0–1
     */
    public record RankedClass(int index, String label, double probability) {}

    /** A failed image. */
    public static ImagePrediction failed(String id, String error) {
        return new ImagePrediction(id, List.of(), null, error);
    }

    /** Whether the image was classified. */
    public boolean ok() {
        return error == null;
    }
}
