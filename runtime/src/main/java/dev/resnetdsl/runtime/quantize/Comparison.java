package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.tensor.Tensor;

/**
 * How closely an int8 model follows its float original on the same images: top-1 agreement and, when the images
 * have labels, each model's accuracy. Use images that calibration did not see.
 *
 * @param images images compared
 * @param agreements images where both models' top class is the same
 * @param labelled whether accuracies were measured
 * @param floatCorrect images the float model classifies correctly (0 when unlabelled)
 * @param int8Correct images the int8 model classifies correctly (0 when unlabelled)
 */
public record Comparison(long images, long agreements, boolean labelled, long floatCorrect, long int8Correct) {
    /** A batch of preprocessed images and, optionally, their labels. */
    public record Batch(Tensor images, int[] labels) {
        public Batch {
            if (labels != null && labels.length != images.dim(0)) {
                throw new IllegalArgumentException(
                        images.dim(0) + " images but " + labels.length + " labels in a comparison batch");
            }
        }
    }

    /** Runs every batch through both models. */
    public static Comparison of(Inference floatModel, Inference int8Model, Iterable<Batch> batches) {
        long images = 0;
        long agree = 0;
        long floatCorrect = 0;
        long int8Correct = 0;
        boolean labelled = true;
        for (Batch b : batches) {
            int[] a = top1(floatModel.run(b.images()));
            int[] q = top1(int8Model.run(b.images()));
            for (int i = 0; i < a.length; i++) {
                agree += a[i] == q[i] ? 1 : 0;
                if (b.labels() != null) {
                    floatCorrect += a[i] == b.labels()[i] ? 1 : 0;
                    int8Correct += q[i] == b.labels()[i] ? 1 : 0;
                }
            }
            labelled &= b.labels() != null;
            images += a.length;
        }
        return new Comparison(
                images, agree, labelled && images > 0, labelled ? floatCorrect : 0, labelled ? int8Correct : 0);
    }

    /** The index of each row's largest value. */
    static int[] top1(Tensor logits) {
        int n = logits.dim(0);
        int classes = logits.elements() / n;
        float[] v = logits.floats();
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (v[i * classes + c] > v[i * classes + best]) {
                    best = c;
                }
            }
            top[i] = best;
        }
        return top;
    }

    /** Share of images with the same top class, in percent. */
    public double agreementPercent() {
        return images == 0 ? 0 : 100.0 * agreements / images;
    }

    /** The float model's accuracy in percent (labelled images only). */
    public double floatAccuracyPercent() {
        return images == 0 ? 0 : 100.0 * floatCorrect / images;
    }

    /** The int8 model's accuracy in percent (labelled images only). */
    public double int8AccuracyPercent() {
        return images == 0 ? 0 : 100.0 * int8Correct / images;
    }

    /** {@code top-1 agreement 99.70% (4985/5000); accuracy float 91.20%, int8 91.08% (−0.12 points)}. */
    public String describe() {
        String s = String.format(
                java.util.Locale.ROOT, "top-1 agreement %.2f%% (%d/%d)", agreementPercent(), agreements, images);
        if (labelled) {
            s += String.format(
                    java.util.Locale.ROOT,
                    "; accuracy float %.2f%%, int8 %.2f%% (%+.2f points)",
                    floatAccuracyPercent(),
                    int8AccuracyPercent(),
                    int8AccuracyPercent() - floatAccuracyPercent());
        }
        return s;
    }
}
