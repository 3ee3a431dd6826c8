package dev.resnetdsl.training.loop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer's part of a checkpoint, stored as strings in the bundle checkpoint's extra state under
 * {@code trainer.*} keys. Together with the weights it determines the rest of the run: the data order is a
 * function of (seed, epoch) and the position is (epoch, batch); the running sums let a resumed epoch
 * report the same epoch metrics; doubles are written with {@link Double#toString}, which round-trips.
 */
final class TrainerState {
    static final String PREFIX = "trainer.";
    static final String SCHEDULE_PREFIX = "trainer.schedule.";

    long seed;
    int batchSize;
    String data;
    int trainSize;
    /** Completed epochs. */
    int epoch;
    /** Batches done in the current epoch. */
    int batchInEpoch;

    double lossSum;
    long correct;
    long seen;
    double seconds;
    double lastLr;
    String schedule;
    Map<String, String> scheduleState = new LinkedHashMap<>();

    /** Whether {@code extra} holds trainer state at all. */
    static boolean present(Map<String, String> extra) {
        return extra.containsKey(PREFIX + "epoch");
    }

    Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "seed", Long.toString(seed));
        m.put(PREFIX + "batch_size", Integer.toString(batchSize));
        m.put(PREFIX + "data", data);
        m.put(PREFIX + "train_size", Integer.toString(trainSize));
        m.put(PREFIX + "epoch", Integer.toString(epoch));
        m.put(PREFIX + "batch_in_epoch", Integer.toString(batchInEpoch));
        m.put(PREFIX + "loss_sum", Double.toString(lossSum));
        m.put(PREFIX + "correct", Long.toString(correct));
        m.put(PREFIX + "seen", Long.toString(seen));
        m.put(PREFIX + "seconds", Double.toString(seconds));
        m.put(PREFIX + "last_lr", Double.toString(lastLr));
        m.put(PREFIX + "lr_schedule", schedule);
        scheduleState.forEach((k, v) -> m.put(SCHEDULE_PREFIX + k, v));
        return m;
    }

    static TrainerState fromMap(Map<String, String> m) {
        TrainerState s = new TrainerState();
        try {
            s.seed = Long.parseLong(get(m, "seed"));
            s.batchSize = Integer.parseInt(get(m, "batch_size"));
            s.data = get(m, "data");
            s.trainSize = Integer.parseInt(get(m, "train_size"));
            s.epoch = Integer.parseInt(get(m, "epoch"));
            s.batchInEpoch = Integer.parseInt(get(m, "batch_in_epoch"));
            s.lossSum = Double.parseDouble(get(m, "loss_sum"));
            s.correct = Long.parseLong(get(m, "correct"));
            s.seen = Long.parseLong(get(m, "seen"));
            s.seconds = Double.parseDouble(get(m, "seconds"));
            s.lastLr = Double.parseDouble(get(m, "last_lr"));
            s.schedule = get(m, "lr_schedule");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the checkpoint's trainer state is corrupt: " + e.getMessage(), e);
        }
        m.forEach((k, v) -> {
            if (k.startsWith(SCHEDULE_PREFIX)) {
                s.scheduleState.put(k.substring(SCHEDULE_PREFIX.length()), v);
            }
        });
        return s;
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException("the checkpoint's trainer state lacks '" + PREFIX + key + "'");
        }
        return v;
    }
}
