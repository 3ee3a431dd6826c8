package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;

/**
 * What the backward pass reads from the forward pass: activations and training-mode BN's intermediate values,
 * as names of graph values. {@link ForwardPass} answers from the values it wrote into the same graph; inside the
 * backward body of a loop over repeated blocks ({@link BlockLoop}) each answer is a value that the forward loop
 * saved per block and the backward loop reads back.
 */
interface SavedValues {
    /** The value of an activation. */
    String value(Activation a);

    /** BN's centred input x − μ [N, C, H, W]. */
    String centred(Layer.BatchNorm b);

    /** BN's 1/√(σ² + ε) [1, C, 1, 1]. */
    String invStd(Layer.BatchNorm b);

    /** BN's γ·invstd [1, C, 1, 1]. */
    String scale(Layer.BatchNorm b);
}
