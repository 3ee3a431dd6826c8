package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.List;

/** {@code block bottleneck stride_on 3x3 groups 32 width_per_group 4}. */
public record BlockStatement(Name kind, List<Option> options, SourcePosition position) implements Statement {
    public BlockStatement {
        options = List.copyOf(options);
    }

    @Override
    public String keyword() {
        return "block";
    }
}
