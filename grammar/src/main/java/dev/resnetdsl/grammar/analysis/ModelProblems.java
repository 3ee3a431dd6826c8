package dev.resnetdsl.grammar.analysis;

import dev.resnetdsl.grammar.ast.ModelDecl;
import dev.resnetdsl.grammar.spec.SourcePosition;

/**
 * The errors of one model. An error at a statement the model inherited through {@code extends} points at the base's
 * line and says which model it is about, since the base on its own may be fine.
 */
final class ModelProblems {
    private final Problems problems;
    private final ModelDecl model;

    ModelProblems(Problems problems, ModelDecl model) {
        this.problems = problems;
        this.model = model;
    }

    void error(SourcePosition position, String message) {
        problems.error(
                position,
                isOwn(position)
                        ? message
                        : message + " (in model '" + model.name().text() + "')");
    }

    int count() {
        return problems.count();
    }

    private boolean isOwn(SourcePosition position) {
        return position.file().equals(model.position().file())
                && position.line() >= model.position().line()
                && position.line() <= model.end().line();
    }
}
