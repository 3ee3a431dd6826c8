package dev.resnetdsl.grammar;

/** How bad a {@link Diagnostic} is. Only errors stop a compilation. */
public enum Severity {
    ERROR,
    WARNING;

    /** The word printed after the position: {@code error} or {@code warning}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
