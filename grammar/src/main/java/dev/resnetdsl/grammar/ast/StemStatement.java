package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.List;

/**
 * {@code stem { conv 7x7 64 /2; maxpool 3x3 /2 }}.
 *
 * @param end where the closing brace is written
 */
public record StemStatement(List<StemItem> layers, SourcePosition position, SourcePosition end) implements Statement {
    public StemStatement {
        layers = List.copyOf(layers);
    }

    @Override
    public String keyword() {
        return "stem";
    }
}
