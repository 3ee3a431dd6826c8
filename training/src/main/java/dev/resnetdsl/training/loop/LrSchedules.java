package dev.resnetdsl.training.loop;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses learning-rate schedules written as text (the {@code --lr-schedule} option and the checkpoint's
 * record of it):
 *
 * <pre>
 *   constant:0.1
 *   multistep:0.1:100,150              ÷10 from epoch 100 (0-based) and again from 150
 *   multistep:0.1:32000it,48000it      ÷10 from iteration 32,000 and 48,000 (the paper's CIFAR recipe)
 *   cosine:0.1                         cosine annealing to 0 over the run
 *   warmup:0.01:error&lt;80+multistep:0.1:32000it,48000it   the paper's ResNet-110 recipe
 *   warmup:0.01:400it+cosine:0.1        400 warm-up iterations, then cosine
 *   scale:4:2000it+multistep:0.1:30,60  ×4 (a 4× larger batch), reached linearly over 2,000 iterations
 * </pre>
 */
public final class LrSchedules {
    private LrSchedules() {}

    /**
     * Parses a schedule.
     *
     * @param totalIterations the run's total optimizer steps (cosine needs the length)
     */
    public static LrSchedule parse(String text, long totalIterations) {
        String trimmed = text.trim();
        int plus = trimmed.indexOf('+');
        if (plus >= 0) {
            String head = trimmed.substring(0, plus).trim();
            String rest = trimmed.substring(plus + 1).trim();
            if (head.startsWith("scale:")) {
                if (rest.startsWith("scale:")) {
                    throw error(text, "only one scale:… part per schedule");
                }
                return scale(text, head, parse(rest, totalIterations));
            }
            if (!head.startsWith("warmup:")) {
                throw error(text, "only a warmup:… or scale:… part may come before '+'");
            }
            if (rest.startsWith("warmup:")) {
                throw error(text, "only one warm-up per schedule");
            }
            if (rest.startsWith("scale:")) {
                throw error(text, "scale:… comes first, before warmup:…");
            }
            return warmUp(text, head, parse(rest, totalIterations));
        }
        String[] parts = trimmed.split(":", -1);
        switch (parts[0]) {
            case "constant":
                requireParts(text, parts, 2, "constant:LR");
                return new ConstantLr(rate(text, parts[1]));
            case "cosine":
                requireParts(text, parts, 2, "cosine:LR");
                return new CosineLr(rate(text, parts[1]), totalIterations);
            case "multistep":
                requireParts(text, parts, 3, "multistep:LR:M1,M2,… (epochs, or iterations with an 'it' suffix)");
                return multiStep(text, rate(text, parts[1]), parts[2]);
            case "warmup":
                throw error(
                        text, "a warm-up needs the schedule that follows it, e.g. warmup:0.01:error<80+constant:0.1");
            case "scale":
                throw error(text, "scaling needs the schedule that follows it, e.g. scale:4:2000it+constant:0.1");
            default:
                throw error(
                        text, "unknown schedule '" + parts[0] + "' (use constant, multistep, cosine, warmup, scale)");
        }
    }

    private static LrSchedule multiStep(String text, double base, String list) {
        List<Long> milestones = new ArrayList<>();
        Boolean iterations = null;
        for (String item : list.split(",", -1)) {
            String m = item.trim();
            boolean it = m.endsWith("it");
            if (iterations != null && iterations != it) {
                throw error(text, "milestones mix epochs and iterations");
            }
            iterations = it;
            milestones.add(count(text, it ? m.substring(0, m.length() - 2) : m));
        }
        try {
            return new MultiStepLr(base, milestones, iterations);
        } catch (IllegalArgumentException e) {
            throw error(text, e.getMessage());
        }
    }

    private static LrSchedule warmUp(String text, String head, LrSchedule then) {
        String[] parts = head.split(":", -1);
        requireParts(text, parts, 3, "warmup:LR:Nit or warmup:LR:error<PERCENT");
        double lr = rate(text, parts[1]);
        String until = parts[2].trim();
        if (until.endsWith("it")) {
            return WarmUpLr.forIterations(lr, count(text, until.substring(0, until.length() - 2)), then);
        }
        if (until.startsWith("error<")) {
            double percent;
            try {
                percent = Double.parseDouble(until.substring("error<".length()));
            } catch (NumberFormatException e) {
                throw error(text, "'" + until + "' should be error<PERCENT, e.g. error<80");
            }
            if (!(percent > 0 && percent <= 100)) {
                throw error(text, "warm-up error threshold must be in (0, 100] percent");
            }
            return WarmUpLr.untilErrorBelow(lr, percent / 100, then);
        }
        throw error(text, "warm-up length '" + until + "' should be Nit (iterations) or error<PERCENT");
    }

    private static LrSchedule scale(String text, String head, LrSchedule then) {
        String[] parts = head.split(":", -1);
        requireParts(text, parts, 3, "scale:FACTOR:Nit (the rate times FACTOR, reached linearly over N iterations)");
        double factor = rate(text, parts[1]);
        String until = parts[2].trim();
        if (!until.endsWith("it")) {
            throw error(text, "scaling warm-up '" + until + "' should be Nit (iterations)");
        }
        return new LinearScalingLr(factor, count(text, until.substring(0, until.length() - 2)), then);
    }

    private static void requireParts(String text, String[] parts, int n, String form) {
        if (parts.length != n) {
            throw error(text, "expected " + form);
        }
    }

    private static double rate(String text, String s) {
        try {
            double v = Double.parseDouble(s.trim());
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(text, "'" + s + "' is not a positive learning rate");
    }

    private static long count(String text, String s) {
        try {
            long v = Long.parseLong(s.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(text, "'" + s + "' is not a non-negative whole number");
    }

    private static IllegalArgumentException error(String text, String why) {
        return new IllegalArgumentException("learning-rate schedule '" + text + "': " + why);
    }

    /** Shortest decimal text of a number ({@code 0.1}, not {@code 0.1000000000000000055…}). */
    public static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
