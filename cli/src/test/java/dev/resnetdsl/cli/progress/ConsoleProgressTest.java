package dev.resnetdsl.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.TrainingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private static String run(boolean terminal) {
        StringWriter text = new StringWriter();
        ConsoleProgress p = new ConsoleProgress(new PrintWriter(text, true), terminal);
        p.epochStarted(0, 2, 0, 100);
        for (int b = 0; b < 100; b++) {
            p.stepDone(new TrainingListener.StepProgress(0, 2, b, 100, b + 1, 0.5, 0.75, 1000, 0.1, 50));
        }
        EpochMetrics m = new EpochMetrics(1, 0.5, 0.75, 0.4, 0.8, 0.1, 5);
        p.epochDone(m, java.util.List.of(m));
        return text.toString();
    }

    @Test
    void logModePrintsAboutTenPlainLinesPerEpoch() {
        String out = run(false);
        assertFalse(out.contains("\r"));
        long steps = out.lines().filter(l -> l.trim().startsWith("step ")).count();
        assertEquals(9, steps, out);
        assertTrue(out.contains("step 10/100  loss 0.5000  acc 75.00%  1000 img/s  ETA 0:05  lr 0.1"), out);
        assertTrue(out.contains("epoch 1: train loss 0.5000 acc 75.00% | test loss 0.4000 acc 80.00%"), out);
    }

    @Test
    void terminalModeRedrawsOneLine() {
        String out = run(true);
        assertTrue(out.contains("\repoch 1/2 ["), out);
        assertTrue(out.contains("100/100 loss 0.5000 acc 75.00% 1000 img/s ETA 0:00"), out);
        assertEquals(1, out.lines().filter(l -> l.contains("test loss")).count());
    }

    /** Issue 11: at 80 columns every redraw wrapped, so the "one line" filled the screen. */
    @Test
    void terminalLinesFitEightyColumns() {
        String out = run(true);
        // The redrawn line (the epoch's summary is printed once, below it, and may wrap like any log line).
        for (String segment : out.split("[\r\n]")) {
            if (segment.startsWith("epoch 1/2")) {
                assertTrue(segment.length() <= 79, segment.length() + " columns: " + segment);
            }
        }
        assertTrue(out.contains("100/100 loss 0.5000 acc 75.00%"), out);
    }

    @Test
    void narrowTerminalsShrinkTheBarThenCutTheLine() {
        for (int columns : new int[] {40, 60, 100, 200}) {
            StringWriter text = new StringWriter();
            ConsoleProgress p = new ConsoleProgress(new PrintWriter(text, true), true, columns);
            p.epochStarted(0, 2, 0, 100);
            p.stepDone(new TrainingListener.StepProgress(0, 2, 99, 100, 100, 0.5, 0.75, 1000, 0.1, 50));
            for (String segment : text.toString().split("[\r\n]")) {
                assertTrue(segment.length() <= columns - 1, columns + ": " + segment);
            }
        }
    }

    @Test
    void terminalWidthComesFromColumnsOrSttySize() {
        assertEquals(120, TerminalWidth.parse("120"));
        assertEquals(null, TerminalWidth.parse("wide"));
        assertEquals(null, TerminalWidth.parse("3"));
        assertEquals(80, TerminalWidth.parseSttySize("24 80\n"));
        assertEquals(null, TerminalWidth.parseSttySize(""));
    }
}
