package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.Optional;

/** {@code stage conv3_x 128 x4 /2}: name, width, repeat count, stride of the first block (default 1). */
public record StageStatement(Name name, Num width, Num repeats, Optional<Num> stride, SourcePosition position)
        implements Statement {
    @Override
    public String keyword() {
        return "stage";
    }
}
