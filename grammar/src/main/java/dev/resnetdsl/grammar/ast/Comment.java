package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/**
 * A {@code #} comment, kept outside the tree so the formatter can put it back.
 *
 * @param text the comment including its {@code #}, without trailing blanks
 * @param trailing whether code precedes it on its line
 */
public record Comment(String text, SourcePosition position, boolean trailing) {}
