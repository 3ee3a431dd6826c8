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

    /**
     * The compiler-style text: {@code file:line:col: error: message}, then the source line, then a caret under
     * the column. Tabs before the column are kept in the caret line so the caret lines up in a terminal. No
     * trailing line break.
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
            out.append('\n').append(sourceLine).append('\n');
            int caretIndex = position.column() - 1;
            for (int i = 0; i < caretIndex; i++) {
                out.append(i < sourceLine.length() && sourceLine.charAt(i) == '\t' ? '\t' : ' ');
            }
            out.append('^');
        }
        return out.toString();
    }
}
