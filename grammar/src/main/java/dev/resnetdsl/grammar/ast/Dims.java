package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

/** Sizes written with {@code x} between them: {@code 3x224x224}, {@code 7x7}. */
public record Dims(List<BigInteger> values, SourcePosition position) implements OptionValue {
    public Dims {
        values = List.copyOf(values);
    }

    @Override
    public String text() {
        return values.stream().map(BigInteger::toString).collect(Collectors.joining("x"));
    }
}
