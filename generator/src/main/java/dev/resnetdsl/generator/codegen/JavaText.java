package dev.resnetdsl.generator.codegen;

import java.nio.charset.StandardCharsets;

/**
 * Turns arbitrary text (spec source, comments, file paths) into Java string literals and javadoc HTML that
 * are pure ASCII and cannot end the literal or comment early: no {@code *}{@code /}, no unicode escape that
 * javac would expand before lexing, no javadoc tags.
 */
final class JavaText {
    /** javac stores a string constant in modified UTF-8 in one constant-pool entry of at most 65,535 bytes. */
    static final int MAX_CONSTANT_BYTES = 65_535;

    private JavaText() {}

    /** Lower-case hex SHA-256 of the UTF-8 encoding of {@code text} (the spec hash recorded in metadata). */
    static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A Java string literal (with quotes) for {@code text}, ASCII only. */
    static String stringLiteral(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        // Octal, not \\u: javac expands \\u escapes before lexing, so \\u000a would end the literal.
                        sb.append(String.format("\\%03o", (int) c));
                    } else if (c > 0x7e) {
                        // Safe as a unicode escape: never a line terminator, quote or backslash.
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * HTML for a javadoc comment: {@code & < > @ \} and non-ASCII become character references, {@code *}{@code /}
     * cannot appear, line ends are normalised to {@code \n}, other control characters are dropped.
     */
    static String javadoc(String text) {
        String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder sb = new StringBuilder(normalized.length());
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '@' -> sb.append("&#64;");
                case '\\' -> sb.append("&#92;");
                case '/' -> sb.append(sb.length() > 0 && sb.charAt(sb.length() - 1) == '*' ? "&#47;" : "/");
                case '\n' -> sb.append('\n');
                case '\t' -> sb.append("    ");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < normalized.length()) {
                        sb.append("&#").append(normalized.codePointAt(i)).append(';');
                        i++;
                    } else if (c > 0x7e) {
                        sb.append("&#").append((int) c).append(';');
                    } else if (c >= 0x20) {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * Wraps prose for javadoc at {@code width} columns, breaking at spaces only; paragraphs separated by a blank
     * line stay separate, and lines of a {@code <pre>} block are left alone.
     */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        boolean pre = false;
        for (String line : text.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (line.startsWith("<pre>")) {
                pre = true;
            } else if (line.startsWith("</pre>")) {
                pre = false;
            }
            if (pre || line.length() <= width) {
                out.append(line);
                continue;
            }
            int column = 0;
            for (String word : line.split(" ")) {
                if (column > 0 && column + 1 + word.length() > width) {
                    out.append('\n');
                    column = 0;
                } else if (column > 0) {
                    out.append(' ');
                    column++;
                }
                out.append(word);
                column += word.length();
            }
        }
        return out.toString();
    }

    /** Throws when {@code text} cannot be one string constant in a class file. */
    static void requireConstantSize(String what, String text) {
        // Modified UTF-8: U+0000 and U+0800.. take 2 and 3 bytes; plain UTF-8 length is a close upper bound.
        long bytes = text.getBytes(StandardCharsets.UTF_8).length
                + text.chars().filter(c -> c == 0).count();
        if (bytes > MAX_CONSTANT_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes + " bytes; a generated class can hold at most "
                    + MAX_CONSTANT_BYTES + " bytes of spec text");
        }
    }
}
