package dev.resnetdsl.runtime.trainer;

import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.util.Map;

/**
 * What the {@link Trainer} needs from a model being trained: optimizer steps, evaluation, and a durable
 * checkpoint that carries the trainer's own state along. A training bundle
 * implements it; tests use small doubles.
 */
public interface StepEngine extends AutoCloseable {

    /**
     * The outcome of one optimizer step.
     *
     * @param loss the batch's mean cross-entropy before the update
     * @param correct how many of the batch's predictions were right (before the update)
     * @param batchSize N
     */
    record StepResult(float loss, int correct, int batchSize) {}

    /**
     * The outcome of evaluating one batch.
     *
     * @param lossSum the sum over the batch of the per-image cross-entropy
     * @param correct right predictions
     * @param count images evaluated
     */
    record EvalResult(double lossSum, int correct, int count) {}

    /** One optimizer step on a batch, at learning rate {@code learningRate}. */
    StepResult step(Tensor input, Tensor labels, float learningRate) throws IOException;

    /** Evaluation-mode loss and accuracy on a batch; does not change the model. */
    EvalResult evaluate(Tensor input, Tensor labels) throws IOException;

    /** Optimizer steps taken so far, over the model's whole life (it survives checkpoints). */
    long step();

    /** Records the number of completed epochs in the model's checkpoint. */
    void setEpoch(int epoch);

    /**
     * Writes the checkpoint atomically: a crash or an error leaves the previous checkpoint intact.
     *
     * @param extraState string state stored alongside the weights (the trainer's data order, schedule, …)
     */
    void saveCheckpoint(Map<String, String> extraState) throws IOException;

    /** The extra state of the checkpoint the engine was opened from (empty for a fresh model). */
    Map<String, String> extraState();

    @Override
    void close() throws IOException;
}
