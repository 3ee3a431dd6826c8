package dev.resnetdsl.grammar.parse;

import dev.resnetdsl.grammar.Diagnostic;
import dev.resnetdsl.grammar.ast.Comment;
import dev.resnetdsl.grammar.ast.SpecFile;
import java.util.List;
import java.util.Optional;

/**
 * What the parser made of one file.
 *
 * @param file the syntax tree; empty when there were syntax errors
 * @param comments every comment in file order
 * @param diagnostics the syntax errors, in file order
 */
public record ParseResult(Optional<SpecFile> file, List<Comment> comments, List<Diagnostic> diagnostics) {
    public ParseResult {
        comments = List.copyOf(comments);
        diagnostics = List.copyOf(diagnostics);
    }
}
