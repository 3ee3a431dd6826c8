package dev.resnetdsl.grammar;

import java.util.ArrayList;
import java.util.List;

/** The lines of one source text, so diagnostics can quote the line they point at. */
public final class SourceLines {
    private final List<String> lines;

    private SourceLines(List<String> lines) {
        this.lines = lines;
    }

    /** Splits {@code text} at {@code \n}, {@code \r\n} and {@code \r}. */
    public static SourceLines of(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return new SourceLines(List.copyOf(lines));
    }

    /** The 1-based {@code line}, or {@code null} when the text has no such line. */
    public String line(int line) {
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : null;
    }
}
