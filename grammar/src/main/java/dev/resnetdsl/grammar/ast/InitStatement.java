package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.List;

/** {@code init kaiming_normal fan_out seed 0 zero_last_bn}. */
public record InitStatement(List<Option> options, SourcePosition position) implements Statement {
    public InitStatement {
        options = List.copyOf(options);
    }

    @Override
    public String keyword() {
        return "init";
    }
}
