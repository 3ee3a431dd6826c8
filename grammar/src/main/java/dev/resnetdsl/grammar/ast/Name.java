package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/** A name as written: a model, stage, block type, shortcut option or option name. */
public record Name(String text, SourcePosition position) {}
