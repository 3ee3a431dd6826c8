package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.Optional;

/** One layer of the head. */
public sealed interface HeadItem permits HeadItem.AvgPool, HeadItem.Fc {
    /** Where the layer's keyword is written. */
    SourcePosition position();

    /** {@code avgpool}: global average pooling. */
    record AvgPool(SourcePosition position) implements HeadItem {}

    /**
     * {@code fc classes} or {@code fc 1000}.
     *
     * @param count the number written, empty for {@code fc classes}
     */
    record Fc(Optional<Num> count, SourcePosition position) implements HeadItem {}
}
