package dev.resnetdsl.grammar;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.Objects;

/**
 * One message about a spec file, tied to a place in it.
 *
 * @param severity error or warning
 * @param position file, 1-based line and 1-based column the message is about
 * @param message what is wrong, in words a user understands (no ANTLR jargon)
 * @param sourceLine the text of the line at {@code position} (without its line break), or {@code null}
 *     when the file's text is not available
 */
public record Diagnostic(Severity severity, SourcePosition position, String message, String sourceLine) {
    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(message, "message");
    }

    /** An error at {@code position}, quoting the line from {@code source}. */
    public static Diagnostic error(SourcePosition position, String message, SourceLines source) {
        return new Diagnostic(Severity.ERROR, position, message, source == null ? null : source.line(position.line()));
    }

    /** Characters of the source line quoted around the column; a longer line is cut with {@code …}. */
    static final int QUOTE_WIDTH = 160;

    /**
     * The compiler-style text: {@code file:line:col: error: message}, then the source line, then a caret under
     * the column. Tabs before the column are kept in the caret line so the caret lines up in a terminal. A line
     * longer than {@value #QUOTE_WIDTH} characters is quoted only around the column, so a megabyte-long line is
     * not echoed. No trailing line break.
     */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(position.file())
                .append(':')
                .append(position.line())
                .append(':')
                .append(position.column())
                .append(": ")
                .append(severity.label())
                .append(": ")
                .append(message);
        if (sourceLine != null) {
            // At most just past the line's end (a caret further right pointed at nothing, and its run of spaces was
            // as long as the column; found by fuzzing).
            int caretIndex = Math.min(position.column() - 1, sourceLine.length());
            int start = 0;
            int end = sourceLine.length();
            if (end > QUOTE_WIDTH) {
                start = Math.max(0, Math.min(caretIndex - QUOTE_WIDTH / 2, end - QUOTE_WIDTH));
                end = start + QUOTE_WIDTH;
            }
            String prefix = start > 0 ? "…" : "";
            out.append('\n')
                    .append(prefix)
                    .append(sourceLine, start, end)
                    .append(end < sourceLine.length() ? "…" : "")
                    .append('\n');
            out.append(prefix.isEmpty() ? "" : " ");
            for (int i = start; i < caretIndex; i++) {
                out.append(i < sourceLine.length() && sourceLine.charAt(i) == '\t' ? '\t' : ' ');
            }
            out.append('^');
        }
        return out.toString();
    }
}
