package dev.resnetdsl.training.data;

/**
 * A training set and the test set it is evaluated on; both have the same image shape and classes.
 *
 * @param train the images the model learns from
 * @param test the held-out images evaluated after every epoch
 */
public record TrainTestData(ImageDataset train, ImageDataset test) {
    public TrainTestData {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new IllegalArgumentException("training images are " + train.shapeText() + " but test images are "
                    + test.shapeText() + " (" + test.description() + ")");
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("training classes " + train.classNames() + " differ from test classes "
                    + test.classNames() + " (" + test.description() + ")");
        }
    }
}
