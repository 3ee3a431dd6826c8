package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.List;

/**
 * {@code head { avgpool; fc classes }}.
 *
 * @param end where the closing brace is written
 */
public record HeadStatement(List<HeadItem> layers, SourcePosition position, SourcePosition end) implements Statement {
    public HeadStatement {
        layers = List.copyOf(layers);
    }

    @Override
    public String keyword() {
        return "head";
    }
}
