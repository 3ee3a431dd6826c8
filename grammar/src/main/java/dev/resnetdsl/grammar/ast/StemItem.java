package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.Optional;

/** One layer of a stem. */
public sealed interface StemItem permits StemItem.Conv, StemItem.MaxPool {
    /** Where the layer's keyword is written. */
    SourcePosition position();

    /** The kernel as written ({@code 7x7}). */
    Dims kernel();

    /** The stride, when written ({@code /2}). */
    Optional<Num> stride();

    /** The padding, when written ({@code pad 3}). */
    Optional<Num> padding();

    /** {@code conv 7x7 64 /2 [pad 3]}: convolution, then BN, then ReLU. */
    record Conv(Dims kernel, Num channels, Optional<Num> stride, Optional<Num> padding, SourcePosition position)
            implements StemItem {}

    /** {@code maxpool 3x3 /2 [pad 1]}. */
    record MaxPool(Dims kernel, Optional<Num> stride, Optional<Num> padding, SourcePosition position)
            implements StemItem {}
}
