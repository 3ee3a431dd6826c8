package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/** {@code shortcut B} (or {@code A}, {@code C}, {@code identity}, {@code none}). */
public record ShortcutStatement(Name option, SourcePosition position) implements Statement {
    @Override
    public String keyword() {
        return "shortcut";
    }
}
