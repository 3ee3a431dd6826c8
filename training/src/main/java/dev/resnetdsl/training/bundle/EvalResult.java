package dev.resnetdsl.training.bundle;

/**
 * The outcome of evaluating one batch with BN on running statistics.
 *
 * @param loss mean softmax cross-entropy over the batch
 * @param correct number of correctly classified images
 * @param count number of images
 * @param predicted the predicted class of each image, in batch order (empty when the engine does not say)
 */
public record EvalResult(float loss, int correct, int count, int[] predicted) {
    /** A result without per-image predictions. */
    public EvalResult(float loss, int correct, int count) {
        this(loss, correct, count, new int[0]);
    }

    /** The summed loss ({@code loss · count}), for averaging over several batches. */
    public double lossSum() {
        return (double) loss * count;
    }
}
