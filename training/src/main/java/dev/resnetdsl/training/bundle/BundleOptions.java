package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.training.graph.Freezing;
import java.util.Objects;

/**
 * How a training bundle is made besides its weights: the SGD settings, what is frozen, and the preprocessing
 * when it is known already (fine-tuning torchvision weights starts from ImageNet's; otherwise the trainer fits
 * one to the data before the first step).
 *
 * @param hyperparameters SGD settings
 * @param freezing the frozen layers' parameters (default: none)
 * @param preprocessing the input pipeline, or {@code null} (the default) for "fitted by the trainer"
 */
public record BundleOptions(Hyperparameters hyperparameters, Freezing freezing, Preprocessing preprocessing) {
    public BundleOptions {
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        Objects.requireNonNull(freezing, "freezing");
    }

    /** The paper's SGD settings, nothing frozen, preprocessing fitted by the trainer. */
    public static BundleOptions defaults() {
        return of(Hyperparameters.defaults());
    }

    /** These SGD settings, nothing frozen, preprocessing fitted by the trainer. */
    public static BundleOptions of(Hyperparameters hp) {
        return new BundleOptions(hp, Freezing.none(), null);
    }

    /** With some layers frozen. */
    public BundleOptions withFreezing(Freezing f) {
        return new BundleOptions(hyperparameters, f, preprocessing);
    }

    /** With a preprocessing decided now. */
    public BundleOptions withPreprocessing(Preprocessing p) {
        return new BundleOptions(hyperparameters, freezing, p);
    }
}
