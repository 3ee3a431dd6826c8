package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.Preprocessing;

/**
 * A training set and the test set it is evaluated on, as the model sees them, with the same classes.
 *
 * <p>The test images have the model's input size, produced by {@code resize} (and a centre crop): exactly what
 * deployment does to an image. The training images have the same size, or — with {@code trainCrops} — are larger
 * squares (the shorter side resized to {@code resize}'s size and the centre square kept) from which each step draws
 * a random resized crop.
 *
 * @param train the images the model learns from
 * @param test the held-out images evaluated after every epoch
 * @param resize how an image reaches the model's input size (recorded in the preprocessing)
 * @param trainCrops whether training images are larger squares for random resized crops
 */
public record TrainTestData(ImageDataset train, ImageDataset test, Preprocessing.Resize resize, boolean trainCrops) {

    /** Images already at the model's size on both sides, resized exactly (MNIST, CIFAR-10, same-size folders). */
    public TrainTestData(ImageDataset train, ImageDataset test) {
        this(train, test, Preprocessing.Resize.exact(), false);
    }

    public TrainTestData {
        java.util.Objects.requireNonNull(resize, "resize");
        if (trainCrops) {
            if (train.channels() != test.channels()
                    || train.height() != train.width()
                    || train.height() < test.height()
                    || train.width() < test.width()) {
                throw new IllegalArgumentException("training squares " + train.shapeText()
                        + " cannot be cropped to test images' " + test.shapeText());
            }
        } else if (train.channels() != test.channels()
                || train.height() != test.height()
                || train.width() != test.width()) {
            throw new IllegalArgumentException("training images are " + train.shapeText() + " but test images are "
                    + test.shapeText() + " (" + test.description() + ")");
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("training classes " + train.classNames() + " differ from test classes "
                    + test.classNames() + " (" + test.description() + ")");
        }
    }
}
