package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/** The value after an option name: a number or sizes. */
public sealed interface OptionValue permits Num, Dims {
    /** The value in canonical spelling. */
    String text();

    /** Where the value is written. */
    SourcePosition position();
}
