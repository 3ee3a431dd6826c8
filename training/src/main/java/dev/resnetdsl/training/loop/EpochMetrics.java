package dev.resnetdsl.training.loop;

/**
 * One row of {@code metrics.csv}: the state of training at the end of an epoch.
 *
 * @param epoch 1-based number of the epoch just completed
 * @param trainLoss mean training loss over the epoch's steps (as measured during each step)
 * @param trainAcc training accuracy over the epoch's steps, 0–1
 * @param testLoss mean test loss after the epoch
 * @param testAcc test accuracy after the epoch, 0–1
 * @param lr the learning rate of the epoch's last step
 * @param seconds wall-clock seconds of training from the start of the run (across resumes) to the end of
 *     this epoch's evaluation
 */
public record EpochMetrics(
        int epoch, double trainLoss, double trainAcc, double testLoss, double testAcc, double lr, double seconds) {

    /** Training error in percent. */
    public double trainErrorPercent() {
        return 100 * (1 - trainAcc);
    }

    /** Test error in percent. */
    public double testErrorPercent() {
        return 100 * (1 - testAcc);
    }
}
