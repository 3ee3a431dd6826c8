package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/** {@code input 3x224x224}: channels × height × width of one image. */
public record InputStatement(Dims shape, SourcePosition position) implements Statement {
    @Override
    public String keyword() {
        return "input";
    }
}
