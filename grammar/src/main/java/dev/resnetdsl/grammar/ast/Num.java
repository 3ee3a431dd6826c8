package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.math.BigInteger;

/**
 * A non-negative integer as written ({@code 64}, the {@code 3} of {@code x3}, the {@code 2} of {@code /2}).
 *
 * @param value the value, of any size
 * @param position where the token starts (for {@code x3} and {@code /2}: at the {@code x} or {@code /})
 */
public record Num(BigInteger value, SourcePosition position) implements OptionValue {
    @Override
    public String text() {
        return value.toString();
    }
}
