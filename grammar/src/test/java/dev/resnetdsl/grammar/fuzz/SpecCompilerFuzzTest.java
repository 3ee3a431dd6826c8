package dev.resnetdsl.grammar.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.Diagnostic;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.grammar.format.Formatting;
import dev.resnetdsl.grammar.format.SpecFormatter;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the spec compiler and the formatter (Jazzer). In the normal test run the committed
 * seed corpus ({@code src/test/resources/dev/resnetdsl/grammar/fuzz/SpecCompilerFuzzTestInputs/}) replays; with
 * {@code JAZZER_FUZZ=1} Jazzer mutates it (docs/security.md has the command). Properties: compiling never throws
 * (every problem is a diagnostic); a diagnostic is one positioned message whose quoted line is bounded; formatting
 * a file without syntax errors is idempotent and keeps it free of syntax errors.
 */
class SpecCompilerFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void compileAndFormat(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        // No base directory: every import is a diagnostic, so fuzzing never reads the file system.
        Compilation compilation = SpecCompiler.compile("fuzz.resnet", text, null);
        for (Diagnostic d : compilation.diagnostics()) {
            String formatted = d.format();
            assertTrue(d.position().line() >= 1 && d.position().column() >= 1, formatted);
            assertTrue(formatted.length() < 2 * d.message().length() + 400, "a bounded quote: " + formatted.length());
            assertTrue(
                    d.message().length() < 1000,
                    "a bounded message: " + d.message().length());
        }
        assertTrue(compilation.hasErrors() || !compilation.models().isEmpty(), "no errors means models");

        Formatting once = SpecFormatter.format("fuzz.resnet", text);
        if (once.diagnostics().isEmpty()) {
            Formatting twice = SpecFormatter.format("fuzz.resnet", once.text());
            assertEquals(
                    "", twice.diagnostics().stream().map(Diagnostic::format).reduce("", String::concat), once.text());
            assertEquals(once.text(), twice.text(), "formatting is idempotent");
        }
    }
}
