package dev.resnetdsl.training.bundle;

/**
 * The outcome of one training step.
 *
 * @param loss mean softmax cross-entropy of the batch, before the update
 * @param correct how many images of the batch the model (before the update) classified correctly
 * @param batchSize number of images in the batch
 */
public record StepResult(float loss, int correct, int batchSize) {}
