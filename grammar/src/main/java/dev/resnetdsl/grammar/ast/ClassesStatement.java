package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/** {@code classes 1000}. */
public record ClassesStatement(Num count, SourcePosition position) implements Statement {
    @Override
    public String keyword() {
        return "classes";
    }
}
