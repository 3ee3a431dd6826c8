package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.List;
import java.util.Optional;

/**
 * {@code model Name [extends Base] { statements }}.
 *
 * @param name the model name
 * @param base the model this one extends, if any
 * @param statements the statements in the braces, in order
 * @param position where {@code model} is written
 * @param end where the closing brace is written
 * @param sourceText the declaration's text, from {@code model} to the closing brace
 */
public record ModelDecl(
        Name name,
        Optional<Name> base,
        List<Statement> statements,
        SourcePosition position,
        SourcePosition end,
        String sourceText)
        implements Declaration {
    public ModelDecl {
        statements = List.copyOf(statements);
    }
}
