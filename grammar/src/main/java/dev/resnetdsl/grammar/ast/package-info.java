/**
 * The abstract syntax tree of a {@code .resnet} file: immutable records, each carrying the {@link
 * dev.resnetdsl.grammar.spec.SourcePosition} it was written at. Numbers are kept as {@link java.math.BigInteger}
 * so that a value too large for any machine type still reaches the analyzer, which reports it with its position.
 */
package dev.resnetdsl.grammar.ast;
