package dev.resnetdsl.training.loop;

/** The same learning rate throughout: {@code constant:LR}. */
public record ConstantLr(double base) implements LrSchedule {
    @Override
    public double lr(long iteration, int epoch) {
        return base;
    }

    @Override
    public String spec() {
        return "constant:" + LrSchedules.number(base);
    }
}
