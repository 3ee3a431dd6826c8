package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.EvalResult;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TrainingBundle} as the trainer sees it: one step graph run per optimizer step, or — with gradient
 * accumulation — one per micro-batch, their updates averaged ({@link MicroBatches}).
 */
public final class BundleEngine implements StepEngine {
    private final TrainingBundle bundle;
    private final int microBatches;

    /** Wraps an open bundle; closing the engine closes the bundle. */
    public BundleEngine(TrainingBundle bundle) {
        this(bundle, 1);
    }

    /**
     * Wraps an open bundle and splits every batch into {@code microBatches} micro-batches (gradient accumulation: the
     * batch's step at one micro-batch's memory, BN aside — see {@link MicroBatches}); closing the engine closes the
     * bundle.
     *
     * @throws IllegalArgumentException when {@code microBatches} is below 1
     */
    public BundleEngine(TrainingBundle bundle, int microBatches) {
        if (microBatches < 1) {
            throw new IllegalArgumentException("micro-batches per step must be ≥ 1, got " + microBatches);
        }
        this.bundle = bundle;
        this.microBatches = microBatches;
    }

    /** Opens the bundle in {@code dir} on {@code device}. */
    public static BundleEngine open(Path dir, Device device) throws IOException {
        return new BundleEngine(TrainingBundle.open(dir, device));
    }

    /** Opens the bundle in {@code dir} on {@code device}, splitting every batch into {@code microBatches}. */
    public static BundleEngine open(Path dir, Device device, int microBatches) throws IOException {
        if (microBatches < 1) {
            throw new IllegalArgumentException("micro-batches per step must be ≥ 1, got " + microBatches);
        }
        return new BundleEngine(TrainingBundle.open(dir, device), microBatches);
    }

    /** The wrapped bundle (manifest, weights). */
    public TrainingBundle bundle() {
        return bundle;
    }

    /** Micro-batches per optimizer step (1: no accumulation). */
    public int microBatches() {
        return microBatches;
    }

    /**
     * One optimizer step on the batch.
     *
     * @throws IllegalArgumentException with several micro-batches, when the batch does not split into equal ones of
     *     at least 2 images; the model is unchanged
     */
    @Override
    public StepResult step(Tensor input, Tensor labels, float learningRate) {
        return microBatches == 1
                ? bundle.step(input, labels, learningRate)
                : MicroBatches.step(bundle, input, labels, learningRate, microBatches);
    }

    @Override
    public EvalResult evaluate(Tensor input, Tensor labels) {
        return bundle.evaluate(input, labels);
    }

    @Override
    public long step() {
        return bundle.step();
    }

    @Override
    public void setEpoch(int epoch) {
        bundle.setEpoch(epoch);
    }

    @Override
    public void saveCheckpoint(Map<String, String> extraState) throws IOException {
        bundle.saveCheckpoint(extraState);
    }

    @Override
    public Map<String, String> extraState() {
        return bundle.extraState();
    }

    @Override
    public Optional<Preprocessing> preprocessing() {
        return bundle.preprocessing();
    }

    @Override
    public void recordPreprocessing(Preprocessing preprocessing) throws IOException {
        bundle.recordPreprocessing(preprocessing);
    }

    @Override
    public void close() {
        bundle.close();
    }
}
