package dev.resnetdsl.runtime.io;

/**
 * Makes a name read from an untrusted file (a tensor name, a JSON key) fit for a one-line error message: control
 * characters (a newline, a terminal escape) become {@code ?} and a long name is cut, so a hostile file cannot
 * forge extra lines or flood the terminal.
 */
public final class Printable {
    /** Longest name printed in full. */
    public static final int MAX_LENGTH = 80;

    private Printable() {}

    /** {@code name}, with control characters replaced and cut to {@value #MAX_LENGTH} characters plus "…". */
    public static String name(String name) {
        return text(name, MAX_LENGTH);
    }

    /** {@code text}, with control characters replaced and cut to {@code max} characters plus "…". */
    public static String text(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(Math.min(text.length(), max + 1));
        for (int i = 0; i < text.length() && s.length() < max; i++) {
            char c = text.charAt(i);
            s.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > max) {
            s.append('…');
        }
        return s.toString();
    }
}
