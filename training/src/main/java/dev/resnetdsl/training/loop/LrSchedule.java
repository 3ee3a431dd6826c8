package dev.resnetdsl.training.loop;

import java.util.Map;

/**
 * A learning rate as a function of training progress. Schedules are written as text (see
 * {@link LrSchedules#parse}) and that text, plus {@link #state()}, is stored in the checkpoint, so a
 * resumed run continues the schedule exactly.
 */
public interface LrSchedule {
    /**
     * The learning rate for the step about to be taken.
     *
     * @param iteration optimizer steps taken before this one (0 for the first step)
     * @param epoch the 0-based epoch this step belongs to
     */
    double lr(long iteration, int epoch);

    /** Tells the schedule the training error (0–1) of the step just taken; warm-up uses it. */
    default void observe(long iteration, double trainError) {}

    /** Mutable state to store in a checkpoint (empty for pure functions of progress). */
    default Map<String, String> state() {
        return Map.of();
    }

    /** Restores {@link #state()} from a checkpoint. */
    default void restore(Map<String, String> state) {}

    /** The text this schedule was parsed from, in canonical form. */
    String spec();
}
