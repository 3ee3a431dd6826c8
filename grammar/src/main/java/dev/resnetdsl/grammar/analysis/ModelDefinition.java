package dev.resnetdsl.grammar.analysis;

import dev.resnetdsl.grammar.ast.BlockStatement;
import dev.resnetdsl.grammar.ast.ClassesStatement;
import dev.resnetdsl.grammar.ast.HeadStatement;
import dev.resnetdsl.grammar.ast.InitStatement;
import dev.resnetdsl.grammar.ast.InputStatement;
import dev.resnetdsl.grammar.ast.ModelDecl;
import dev.resnetdsl.grammar.ast.ShortcutStatement;
import dev.resnetdsl.grammar.ast.StageStatement;
import dev.resnetdsl.grammar.ast.StemStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model's statements after {@code extends} is applied: what the model itself says, and for everything it does
 * not say, what its base says. Statements keep their own source positions, so an error in an inherited statement
 * points into the file that wrote it.
 *
 * @param decl the model's own declaration
 * @param stages the stages in order: the base's, with same-named ones replaced in place, then new ones
 */
public record ModelDefinition(
        ModelDecl decl,
        Optional<InputStatement> input,
        Optional<ClassesStatement> classes,
        Optional<StemStatement> stem,
        Optional<BlockStatement> block,
        Optional<ShortcutStatement> shortcut,
        List<StageStatement> stages,
        Optional<HeadStatement> head,
        Optional<InitStatement> init) {
    public ModelDefinition {
        stages = List.copyOf(stages);
    }

    /** The model's name as written. */
    public String name() {
        return decl.name().text();
    }

    /** This definition (a derived model's own statements) on top of {@code base}. */
    ModelDefinition over(ModelDefinition base) {
        List<StageStatement> merged = new ArrayList<>(base.stages);
        for (StageStatement stage : stages) {
            int index = indexOf(merged, stage.name().text());
            if (index >= 0) {
                merged.set(index, stage);
            } else {
                merged.add(stage);
            }
        }
        return new ModelDefinition(
                decl,
                input.or(base::input),
                classes.or(base::classes),
                stem.or(base::stem),
                block.or(base::block),
                shortcut.or(base::shortcut),
                merged,
                head.or(base::head),
                init.or(base::init));
    }

    private static int indexOf(List<StageStatement> stages, String name) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().text().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
