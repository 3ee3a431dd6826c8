package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.Optional;

/**
 * An option of a {@code block} or {@code init} statement: {@code groups 32}, {@code stride_on 3x3}, or a flag
 * such as {@code zero_last_bn}. Which names exist is the analyzer's business, so an unknown one is reported with
 * its position instead of as a syntax error.
 */
public record Option(Name name, Optional<OptionValue> value, SourcePosition position) {}
