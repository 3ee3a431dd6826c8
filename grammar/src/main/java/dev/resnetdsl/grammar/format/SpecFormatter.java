package dev.resnetdsl.grammar.format;

import dev.resnetdsl.grammar.parse.ParseResult;
import dev.resnetdsl.grammar.parse.SpecParser;

/**
 * Prints a spec in canonical form: two-space indentation, one statement per line, single spaces, numbers without
 * leading zeros, blocks ({@code stem}, {@code head}) opened on the statement's line and closed on their own. Comments
 * are kept: whole-line comments stay on their own line before the statement that follows them, trailing comments
 * stay at the end of their line. A single blank line is kept where the source had one or more.
 */
public final class SpecFormatter {
    private SpecFormatter() {}

    /**
     * Formats {@code text}. A file with syntax errors is returned unchanged with the errors, so that a formatter run
     * never loses anything.
     */
    public static Formatting format(String sourceName, String rawText) {
        String text = SpecParser.withoutByteOrderMark(rawText);
        ParseResult parsed = SpecParser.parse(sourceName, text);
        if (parsed.file().isEmpty()) {
            return new Formatting(rawText, parsed.diagnostics());
        }
        return new Formatting(
                new SpecPrinter(text, parsed.comments()).print(parsed.file().get()), parsed.diagnostics());
    }
}
