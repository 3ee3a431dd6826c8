package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/** A top-level declaration: an import or a model. */
public sealed interface Declaration permits ImportDecl, ModelDecl {
    /** Where the declaration starts. */
    SourcePosition position();
}
