package dev.resnetdsl.grammar.analysis;

import dev.resnetdsl.grammar.JavaKeywords;
import dev.resnetdsl.grammar.JavaLangNames;
import dev.resnetdsl.grammar.ast.BlockStatement;
import dev.resnetdsl.grammar.ast.ClassesStatement;
import dev.resnetdsl.grammar.ast.HeadStatement;
import dev.resnetdsl.grammar.ast.InitStatement;
import dev.resnetdsl.grammar.ast.InputStatement;
import dev.resnetdsl.grammar.ast.ModelDecl;
import dev.resnetdsl.grammar.ast.Name;
import dev.resnetdsl.grammar.ast.ShortcutStatement;
import dev.resnetdsl.grammar.ast.StageStatement;
import dev.resnetdsl.grammar.ast.Statement;
import dev.resnetdsl.grammar.ast.StemStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the models of one file: checks names, statement duplicates, and applies {@code extends} against the
 * file's own models and the imported ones. Cycles of {@code extends} are errors.
 */
public final class ModelResolver {
    private final Problems problems;
    private final Map<String, ModelDefinition> imported;
    private final Map<String, ModelDecl> local = new LinkedHashMap<>();
    private final Map<String, ModelDefinition> resolved = new HashMap<>();
    private final List<String> resolving = new ArrayList<>();

    /**
     * @param imported models made available by the file's imports, by name
     * @param problems where errors go
     */
    public ModelResolver(Map<String, ModelDefinition> imported, Problems problems) {
        this.imported = Map.copyOf(imported);
        this.problems = problems;
    }

    /**
     * Resolves {@code models} (the declarations of one file, in order). Returns the definitions of the models
     * that could be resolved, in declaration order; models with unresolvable names or bases are left out and
     * reported.
     */
    public List<ModelDefinition> resolve(List<ModelDecl> models) {
        for (ModelDecl model : models) {
            Name name = model.name();
            if (JavaKeywords.isReserved(name.text())) {
                problems.error(
                        name.position(),
                        "model name '" + name.text() + "' is a Java keyword; model names become Java class names");
            } else if (JavaLangNames.isJavaLangType(name.text())) {
                problems.error(
                        name.position(),
                        "model name '" + name.text() + "' is the name of java.lang." + name.text()
                                + "; a generated class of that name would hide it from the other classes of its"
                                + " package");
            }
            ModelDecl earlier = local.get(name.text());
            if (earlier != null) {
                problems.error(
                        name.position(),
                        "duplicate model name '" + name.text() + "' (first declared at line "
                                + earlier.name().position().line() + ")");
                continue;
            }
            ModelDefinition importedModel = imported.get(name.text());
            if (importedModel != null) {
                problems.error(
                        name.position(),
                        "duplicate model name '" + name.text() + "': an imported file ("
                                + importedModel.decl().position().file() + ") already declares it");
                continue;
            }
            local.put(name.text(), model);
        }
        List<ModelDefinition> result = new ArrayList<>();
        for (ModelDecl model : local.values()) {
            definition(model).ifPresent(result::add);
        }
        return result;
    }

    private Optional<ModelDefinition> definition(ModelDecl model) {
        String name = model.name().text();
        if (resolved.containsKey(name)) {
            return Optional.of(resolved.get(name));
        }
        if (resolving.contains(name)) {
            return Optional.empty();
        }
        resolving.add(name);
        try {
            ModelDefinition own = ownDefinition(model);
            if (model.base().isEmpty()) {
                resolved.put(name, own);
                return Optional.of(own);
            }
            Name baseName = model.base().get();
            Optional<ModelDefinition> base;
            if (resolving.contains(baseName.text())) {
                List<String> cycle =
                        new ArrayList<>(resolving.subList(resolving.indexOf(baseName.text()), resolving.size()));
                cycle.add(baseName.text());
                problems.error(
                        baseName.position(), "models extend each other in a cycle: " + String.join(" -> ", cycle));
                return Optional.empty();
            } else if (local.containsKey(baseName.text())) {
                base = definition(local.get(baseName.text()));
            } else if (imported.containsKey(baseName.text())) {
                base = Optional.of(imported.get(baseName.text()));
            } else {
                String known = known(name);
                problems.error(
                        baseName.position(),
                        "unknown model '" + baseName.text() + "' in extends"
                                + (known.isEmpty() ? "" : "; known models: " + known));
                return Optional.empty();
            }
            if (base.isEmpty()) {
                return Optional.empty();
            }
            ModelDefinition merged = own.over(base.get());
            resolved.put(name, merged);
            return Optional.of(merged);
        } finally {
            resolving.remove(name);
        }
    }

    private String known(String except) {
        List<String> names = new ArrayList<>(local.keySet());
        names.remove(except);
        names.addAll(imported.keySet().stream().sorted().toList());
        return String.join(", ", names);
    }

    /** The model's own statements; a statement written twice is an error (the first one counts). */
    private ModelDefinition ownDefinition(ModelDecl model) {
        Map<String, Statement> singles = new HashMap<>();
        List<StageStatement> stages = new ArrayList<>();
        Map<String, StageStatement> stagesByName = new HashMap<>();
        for (Statement statement : model.statements()) {
            if (statement instanceof StageStatement stage) {
                StageStatement earlier = stagesByName.putIfAbsent(stage.name().text(), stage);
                if (earlier != null) {
                    problems.error(
                            stage.name().position(),
                            "duplicate stage name '" + stage.name().text() + "' (first used at line "
                                    + earlier.position().line() + ")");
                } else {
                    stages.add(stage);
                }
                continue;
            }
            Statement earlier = singles.putIfAbsent(statement.keyword(), statement);
            if (earlier != null) {
                problems.error(
                        statement.position(),
                        "duplicate '" + statement.keyword() + "' statement (first at line "
                                + earlier.position().line() + ")");
            }
        }
        return new ModelDefinition(
                model,
                Optional.ofNullable((InputStatement) singles.get("input")),
                Optional.ofNullable((ClassesStatement) singles.get("classes")),
                Optional.ofNullable((StemStatement) singles.get("stem")),
                Optional.ofNullable((BlockStatement) singles.get("block")),
                Optional.ofNullable((ShortcutStatement) singles.get("shortcut")),
                stages,
                Optional.ofNullable((HeadStatement) singles.get("head")),
                Optional.ofNullable((InitStatement) singles.get("init")));
    }
}
