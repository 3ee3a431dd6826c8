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

/** A {@link TrainingBundle} as the trainer sees it. */
public final class BundleEngine implements StepEngine {
    private final TrainingBundle bundle;

    /** Wraps an open bundle; closing the engine closes the bundle. */
    public BundleEngine(TrainingBundle bundle) {
        this.bundle = bundle;
    }

    /** Opens the bundle in {@code dir} on {@code device}. */
    public static BundleEngine open(Path dir, Device device) throws IOException {
        return new BundleEngine(TrainingBundle.open(dir, device));
    }

    /** The wrapped bundle (manifest, weights). */
    public TrainingBundle bundle() {
        return bundle;
    }

    @Override
    public StepResult step(Tensor input, Tensor labels, float learningRate) {
        return bundle.step(input, labels, learningRate);
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
