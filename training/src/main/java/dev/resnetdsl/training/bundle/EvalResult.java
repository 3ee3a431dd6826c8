package dev.resnetdsl.training.bundle;

/**
 * The outcome of evaluating one batch with BN on running statistics.
 *
 * @param loss mean softmax cross-entropy over the batch
 * @param correct number of correctly classified images
 * @param count number of images
 */
public record EvalResult(float loss, int correct, int count) {
    /** The summed loss ({@code loss · count}), for averaging over several batches. */
    public double lossSum() {
        return (double) loss * count;
    }
}
