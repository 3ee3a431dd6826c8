package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.tensor.Tensor;

/**
 * One batch ready for the network.
 *
 * @param input F32 {@code [N, C, H, W]}, normalised (and augmented, for training)
 * @param labels I64 {@code [N]}
 * @param index the batch's number within its epoch (or within the test set)
 */
public record Batch(Tensor input, Tensor labels, int index) {
    /** N. */
    public int size() {
        return labels.dim(0);
    }
}
