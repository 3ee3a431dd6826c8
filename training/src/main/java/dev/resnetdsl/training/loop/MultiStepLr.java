package dev.resnetdsl.training.loop;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Divides the learning rate by 10 at each milestone, as the paper does (CIFAR: 0.1, ÷10 at 32k and 48k
 * iterations; ImageNet: ÷10 when the error plateaus). Milestones count epochs ({@code multistep:0.1:100,150}
 * — from the 101st epoch on the rate is 0.01) or iterations with an {@code it} suffix
 * ({@code multistep:0.1:32000it,48000it} — from the 32,001st step on).
 *
 * @param base the initial rate
 * @param milestones ascending epoch or iteration counts
 * @param iterations whether the milestones count iterations (true) or epochs
 */
public record MultiStepLr(double base, List<Long> milestones, boolean iterations) implements LrSchedule {
    public MultiStepLr {
        milestones = List.copyOf(milestones);
        for (int i = 1; i < milestones.size(); i++) {
            if (milestones.get(i) <= milestones.get(i - 1)) {
                throw new IllegalArgumentException("multistep milestones must increase: " + milestones);
            }
        }
    }

    @Override
    public double lr(long iteration, int epoch) {
        long clock = iterations ? iteration : epoch;
        double lr = base;
        for (long m : milestones) {
            if (clock >= m) {
                lr /= 10;
            }
        }
        return lr;
    }

    @Override
    public String spec() {
        return "multistep:" + LrSchedules.number(base) + ":"
                + milestones.stream().map(m -> m + (iterations ? "it" : "")).collect(Collectors.joining(","));
    }
}
