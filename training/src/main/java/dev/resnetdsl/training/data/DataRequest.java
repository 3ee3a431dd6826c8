package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.Preprocessing;

/**
 * What a model needs from a data set.
 *
 * @param channels the model's input channels
 * @param height the model's input height
 * @param width the model's input width
 * @param classes the model's outputs, or 0 to skip that check
 * @param resize how images reach the input size, as the model's preprocessing records it; {@code null} lets the
 *     data decide: exact for data sets whose images have the input size, the shorter side to
 *     round(size · 256/224) and a centre crop (torchvision's evaluation transform) for folders of photos
 * @param validationSplit the fraction of each class's training images held out as the test set when the data
 *     set has no test part (0: none; a folder without {@code test/} then is an error)
 * @param seed seeds the validation split
 */
public record DataRequest(
        int channels,
        int height,
        int width,
        int classes,
        Preprocessing.Resize resize,
        double validationSplit,
        long seed) {
    public DataRequest {
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("the validation split is a fraction in [0, 1), not " + validationSplit);
        }
    }

    /** A request for images of {@code channels × height × width} and {@code classes} outputs, resize by the data. */
    public static DataRequest of(int channels, int height, int width, int classes) {
        return new DataRequest(channels, height, width, classes, null, 0, 1);
    }

    /** With the model's resize rule. */
    public DataRequest withResize(Preprocessing.Resize r) {
        return new DataRequest(channels, height, width, classes, r, validationSplit, seed);
    }

    /** Holding out {@code fraction} of each class as the test set, seeded with {@code splitSeed}. */
    public DataRequest withValidationSplit(double fraction, long splitSeed) {
        return new DataRequest(channels, height, width, classes, resize, fraction, splitSeed);
    }

    /** The default evaluation resize for photos of any size: torchvision's 256/224 rule. */
    public Preprocessing.Resize photoResize() {
        return Preprocessing.Resize.shorterSide((int) Math.round(Math.max(height, width) * 256.0 / 224.0));
    }
}
