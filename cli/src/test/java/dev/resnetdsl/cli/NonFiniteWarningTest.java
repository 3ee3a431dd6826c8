package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The warning the CLI prints when a loss, logits or outputs it reports are NaN or infinite. */
class NonFiniteWarningTest {
    private static String err(Consumer<PrintWriter> warn) {
        StringWriter s = new StringWriter();
        warn.accept(new PrintWriter(s));
        return s.toString();
    }

    @Test
    void countsTheNonFiniteValuesAndNamesWhatTheyAre() {
        String text = err(e -> NonFiniteWarning.check(
                e, "'logits' in out.safetensors", new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY, -2f}));
        assertTrue(
                text.startsWith("resnet: warning: NaN or infinite: 2 of 4 values of 'logits' in out.safetensors; "),
                text);
        assertEquals(1, text.lines().count(), text);
    }

    @Test
    void saysNothingWhenEverythingIsFinite() {
        assertEquals("", err(e -> NonFiniteWarning.check(e, "x", new float[] {0f, -1e30f, 3.4e38f})));
        assertEquals("", err(e -> NonFiniteWarning.check(e, "the loss", 2.3)));
        assertEquals("", err(e -> NonFiniteWarning.count(e, 0, 10, "images' logits")));
    }

    @Test
    void aNonFiniteLossAndACountOfImages() {
        assertTrue(err(e -> NonFiniteWarning.check(e, "the loss", Double.NaN))
                .startsWith("resnet: warning: NaN or infinite: the loss (NaN); "));
        assertTrue(err(e -> NonFiniteWarning.count(e, 3, 10, "images' logits"))
                .startsWith("resnet: warning: NaN or infinite: 3 of 10 images' logits; "));
    }
}
