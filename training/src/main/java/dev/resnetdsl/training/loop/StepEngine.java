package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.EvalResult;
import dev.resnetdsl.training.bundle.StepResult;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@link Trainer} needs from a model being trained: optimizer steps, evaluation, and a durable
 * checkpoint that carries the trainer's own state along. A training bundle
 * implements it; tests use small doubles.
 */
public interface StepEngine extends AutoCloseable {

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

    /** The preprocessing the model records, if it records one yet. */
    Optional<Preprocessing> preprocessing();

    /** Records the preprocessing durably with the model (before its first step, or replacing a missing one). */
    void recordPreprocessing(Preprocessing preprocessing) throws IOException;

    @Override
    void close() throws IOException;
}
