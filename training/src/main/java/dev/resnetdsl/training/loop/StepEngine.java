package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.EvalResult;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.data.Batch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@link Trainer} needs from a model being trained: optimizer steps, evaluation, and a durable
 * checkpoint that carries the trainer's own state along. A training bundle
 * implements it; tests use small doubles; a data-parallel engine takes several steps per call
 * ({@link #stepsPerCall}) on batches it makes where its workers' data lives.
 */
public interface StepEngine extends AutoCloseable {

    /** One optimizer step on a batch, at learning rate {@code learningRate}. */
    StepResult step(Tensor input, Tensor labels, float learningRate) throws IOException;

    /**
     * How many consecutive steps the trainer hands over per call of {@link #steps} (at most; fewer at the end of an
     * epoch): 1, unless the engine averages workers' models every so many steps.
     */
    default int stepsPerCall() {
        return 1;
    }

    /**
     * Takes {@code rates.length} consecutive optimizer steps on batches {@code first, first+1, …} of {@code batches}'
     * epoch, the j-th at learning rate {@code rates[j]}, and returns each step's result in order. The default makes
     * each batch here and calls {@link #step(Tensor, Tensor, float)}; a data-parallel engine makes them where its
     * data lives, from {@link EpochBatches#maker()}.
     */
    default List<StepResult> steps(EpochBatches batches, int first, float[] rates) throws IOException {
        List<StepResult> results = new ArrayList<>(rates.length);
        for (int j = 0; j < rates.length; j++) {
            Batch batch = batches.batch(first + j);
            results.add(step(batch.input(), batch.labels(), rates[j]));
        }
        return results;
    }

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
