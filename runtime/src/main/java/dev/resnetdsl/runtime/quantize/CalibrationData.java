package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.tensor.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The images that calibration runs through the float model, already preprocessed the way the model expects (its
 * own {@code Preprocessing}): batches of float tensors [n, C, H, W]. Calibration iterates {@link #batches()} once
 * for the ranges and, for the histogram methods, once more; both iterations must give the same batches, so an
 * implementation that reads files lazily (as it should for large images) reads them twice rather than holding them.
 */
public interface CalibrationData {
    /** The batches, in a fixed order. */
    Iterable<Tensor> batches();

    /** Where the images come from (e.g. {@code mnist:/data/fashion train, 512 of 60000 chosen with seed 0}). */
    String description();

    /** The seed that chose the images, when they were sampled. */
    default OptionalLong seed() {
        return OptionalLong.empty();
    }

    /** Batches already in memory. */
    static CalibrationData of(List<Tensor> batches, String description) {
        List<Tensor> copy = List.copyOf(batches);
        Objects.requireNonNull(description, "description");
        return new CalibrationData() {
            @Override
            public Iterable<Tensor> batches() {
                return copy;
            }

            @Override
            public String description() {
                return description;
            }
        };
    }
}
