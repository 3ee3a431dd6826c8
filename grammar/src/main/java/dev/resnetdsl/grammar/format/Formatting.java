package dev.resnetdsl.grammar.format;

import dev.resnetdsl.grammar.Diagnostic;
import java.util.List;

/**
 * The result of formatting one file.
 *
 * @param text the canonical text; the input unchanged when it has syntax errors
 * @param diagnostics the syntax errors (the formatter does not run the semantic checks)
 */
public record Formatting(String text, List<Diagnostic> diagnostics) {
    public Formatting {
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether the text could not be parsed (and so was left as it was). */
    public boolean hasErrors() {
        return !diagnostics.isEmpty();
    }
}
