package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/** A statement inside a model's braces. */
public sealed interface Statement
        permits InputStatement,
                ClassesStatement,
                StemStatement,
                BlockStatement,
                ShortcutStatement,
                StageStatement,
                HeadStatement,
                InitStatement {
    /** Where the statement's keyword is written. */
    SourcePosition position();

    /** The statement's keyword, as used in messages ({@code input}, {@code stage}, …). */
    String keyword();
}
