package dev.resnetdsl.grammar.spec;

/** A place in a source file: 1-based line, 1-based column. */
public record SourcePosition(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
