package dev.resnetdsl.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LrSchedulesTest {
    @Test
    void multiStepByIterationsIsThePapersCifarRecipe() {
        LrSchedule s = LrSchedules.parse("multistep:0.1:32000it,48000it", 64000);
        assertEquals(0.1, s.lr(0, 0), 1e-15);
        assertEquals(0.1, s.lr(31_999, 80), 1e-15);
        assertEquals(0.01, s.lr(32_000, 81), 1e-15);
        assertEquals(0.001, s.lr(48_000, 120), 1e-15);
        assertEquals("multistep:0.1:32000it,48000it", s.spec());
    }

    @Test
    void multiStepByEpochsUsesTheEpoch() {
        LrSchedule s = LrSchedules.parse("multistep:0.1:2,4", 100);
        assertEquals(0.1, s.lr(999, 1), 1e-15);
        assertEquals(0.01, s.lr(0, 2), 1e-15);
        assertEquals(0.001, s.lr(0, 4), 1e-15);
    }

    @Test
    void cosineGoesFromBaseToZero() {
        LrSchedule s = LrSchedules.parse("cosine:0.2", 1000);
        assertEquals(0.2, s.lr(0, 0), 1e-12);
        assertEquals(0.1, s.lr(500, 0), 1e-12);
        assertEquals(0.0, s.lr(1000, 0), 1e-12);
        assertTrue(s.lr(250, 0) > s.lr(251, 0));
    }

    @Test
    void warmUpForIterations() {
        LrSchedule s = LrSchedules.parse("warmup:0.01:400it+constant:0.1", 1000);
        assertEquals(0.01, s.lr(399, 0), 0);
        assertEquals(0.1, s.lr(400, 0), 0);
    }

    @Test
    void warmUpUntilTheTrainingErrorFallsBelowTheThreshold() {
        LrSchedule s = LrSchedules.parse("warmup:0.01:error<80+multistep:0.1:32000it,48000it", 64000);
        assertEquals("warmup:0.01:error<80+multistep:0.1:32000it,48000it", s.spec());
        long it = 0;
        for (; it < 50; it++) {
            assertEquals(0.01, s.lr(it, 0), 0);
            s.observe(it, 0.9);
        }
        // The smoothed error needs a few good batches to cross 80%.
        s.observe(it++, 0.5);
        assertEquals(0.01, s.lr(it, 0), 0, "one batch below 80% is not enough");
        for (int i = 0; i < 10; i++) {
            s.observe(it++, 0.5);
        }
        assertEquals(0.1, s.lr(it, 0), 0);
        assertEquals(0.01, s.lr(40_000, 0), 1e-15, "the main schedule keeps its own clock");
        s.observe(it++, 0.95);
        assertEquals(0.1, s.lr(it, 0), 0, "warm-up does not come back");
    }

    @Test
    void warmUpStateRoundTripsThroughTheCheckpoint() {
        String spec = "warmup:0.01:error<80+cosine:0.1";
        LrSchedule a = LrSchedules.parse(spec, 100);
        for (int i = 0; i < 7; i++) {
            a.observe(i, 0.9 - i * 0.02);
        }
        Map<String, String> state = a.state();
        LrSchedule b = LrSchedules.parse(spec, 100);
        b.restore(state);
        for (int i = 7; i < 40; i++) {
            double e = 0.9 - i * 0.02;
            a.observe(i, e);
            b.observe(i, e);
            assertEquals(a.lr(i, 0), b.lr(i, 0), 0);
        }
        assertFalse(a.lr(39, 0) == 0.01, "warm-up ended during the test");
    }

    @Test
    void linearScalingRampsToTheFactorOverTheWarmUp() {
        LrSchedule s = LrSchedules.parse("scale:4:100it+multistep:0.1:2", 1000);
        assertEquals("scale:4:100it+multistep:0.1:2", s.spec());
        assertEquals(0.1, s.lr(0, 0), 1e-15, "starts at the unscaled rate");
        assertEquals(0.25, s.lr(50, 0), 1e-15, "halfway: 1 + 3 * 50/100 = 2.5 times");
        assertEquals(0.4, s.lr(100, 0), 1e-15);
        assertEquals(0.04, s.lr(500, 2), 1e-15, "scales the schedule after its milestone too");
        LrSchedule withWarmUp = LrSchedules.parse("scale:2:0it+warmup:0.01:error<80+constant:0.1", 1000);
        assertEquals(0.02, withWarmUp.lr(0, 0), 1e-15);
        for (int i = 0; i < 40; i++) {
            withWarmUp.observe(i, 0.1);
        }
        assertEquals(0.2, withWarmUp.lr(40, 0), 1e-15, "the inner warm-up's state is the schedule's");
        assertEquals("true", withWarmUp.state().get("warmup.done"));
    }

    @Test
    void badSchedulesAreClearErrors() {
        assertMessage("stepwise:0.1", "unknown schedule 'stepwise'");
        assertMessage("constant:-1", "'-1' is not a positive learning rate");
        assertMessage("multistep:0.1:30,20", "milestones must increase");
        assertMessage("multistep:0.1:30,200it", "mix epochs and iterations");
        assertMessage("warmup:0.01:100it", "needs the schedule that follows it");
        assertMessage("warmup:0.01:soon+constant:0.1", "should be Nit (iterations) or error<PERCENT");
        assertMessage("cosine:0.1+constant:0.1", "only a warmup");
        assertMessage("scale:4:100it", "needs the schedule that follows it");
        assertMessage("scale:4:100+constant:0.1", "should be Nit");
        assertMessage("warmup:0.01:5it+scale:2:0it+constant:0.1", "scale:… comes first");
        assertMessage("warmup:0.01:error<150+constant:0.1", "(0, 100] percent");
    }

    private static void assertMessage(String spec, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedules.parse(spec, 10));
        assertTrue(e.getMessage().startsWith("learning-rate schedule '" + spec + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
