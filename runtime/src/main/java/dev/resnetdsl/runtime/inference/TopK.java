package dev.resnetdsl.runtime.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The most probable classes of one image. */
public final class TopK {
    /** One class and its probability. */
    public record Prediction(int classIndex, double probability) {}

    private TopK() {}

    /** Class probabilities of one row of a model's output: its softmax for logits, itself otherwise. */
    public static double[] probabilities(float[] output, int offset, int length, OutputKind kind) {
        if (kind == OutputKind.LOGITS) {
            return softmax(output, offset, length);
        }
        double[] p = new double[length];
        for (int i = 0; i < length; i++) {
            p[i] = output[offset + i];
        }
        return p;
    }

    /** Softmax of {@code logits} (computed stably in double precision). */
    public static double[] softmax(float[] logits, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double[] p = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            p[i] = Math.exp(logits[offset + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The {@code k} largest probabilities, largest first (ties: lower class index first). */
    public static List<Prediction> top(double[] probabilities, int k) {
        List<Prediction> all = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            all.add(new Prediction(i, probabilities[i]));
        }
        all.sort(Comparator.comparingDouble(Prediction::probability)
                .reversed()
                .thenComparingInt(Prediction::classIndex));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }
}
