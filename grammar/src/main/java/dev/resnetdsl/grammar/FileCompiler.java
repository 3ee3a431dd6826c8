package dev.resnetdsl.grammar;

import dev.resnetdsl.grammar.analysis.Analyzer;
import dev.resnetdsl.grammar.analysis.ModelDefinition;
import dev.resnetdsl.grammar.analysis.ModelResolver;
import dev.resnetdsl.grammar.analysis.Problems;
import dev.resnetdsl.grammar.ast.Declaration;
import dev.resnetdsl.grammar.ast.ImportDecl;
import dev.resnetdsl.grammar.ast.ModelDecl;
import dev.resnetdsl.grammar.ast.SpecFile;
import dev.resnetdsl.grammar.parse.ParseResult;
import dev.resnetdsl.grammar.parse.SpecParser;
import dev.resnetdsl.grammar.spec.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One compilation: the root file and, recursively, the files it imports. Each imported file is compiled once per
 * compilation; a file that (indirectly) imports itself is an error at the import that closes the cycle.
 */
final class FileCompiler {
    /** What a compiled file offers to the files importing it. */
    private record Unit(String text, Map<String, ModelDefinition> models, List<Diagnostic> diagnostics) {}

    private final Map<Path, Unit> done = new HashMap<>();
    private final List<Path> importing = new ArrayList<>();
    private final List<String> importingNames = new ArrayList<>();

    Compilation compileRoot(String sourceName, String rawText, Path baseDir) {
        String text = SpecParser.withoutByteOrderMark(rawText);
        Problems problems = new Problems();
        List<ModelSpec> specs = new ArrayList<>();
        // The root file is on the import stack too, so that a file importing itself (indirectly) is a cycle.
        importing.add(rootKey(sourceName, baseDir));
        importingNames.add(sourceName);
        compile(sourceName, text, baseDir, problems, specs);
        List<Diagnostic> diagnostics = problems.diagnostics();
        boolean errors = diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        return new Compilation(sourceName, text, errors ? List.of() : specs, diagnostics);
    }

    /** Compiles one file into {@code problems}; appends its valid models to {@code specs}. */
    private Map<String, ModelDefinition> compile(
            String sourceName, String text, Path baseDir, Problems problems, List<ModelSpec> specs) {
        problems.addSource(sourceName, text);
        ParseResult parsed = SpecParser.parse(sourceName, text);
        if (parsed.file().isEmpty()) {
            problems.addAll(parsed.diagnostics());
            return Map.of();
        }
        SpecFile file = parsed.file().get();
        boolean modelSeen = false;
        Map<String, ModelDefinition> imported = new LinkedHashMap<>();
        for (Declaration declaration : file.declarations()) {
            if (declaration instanceof ModelDecl) {
                modelSeen = true;
            } else if (declaration instanceof ImportDecl importDecl) {
                if (modelSeen) {
                    problems.error(importDecl.position(), "imports must come before the first model");
                }
                importFile(importDecl, baseDir, problems, imported);
            }
        }
        List<ModelDefinition> definitions = new ModelResolver(imported, problems).resolve(file.models());
        Map<String, ModelDefinition> exported = new LinkedHashMap<>();
        for (ModelDefinition definition : definitions) {
            exported.put(definition.name(), definition);
            Optional<ModelSpec> spec = Analyzer.analyze(definition, sourceName, problems);
            spec.ifPresent(specs::add);
        }
        return exported;
    }

    private void importFile(ImportDecl decl, Path baseDir, Problems problems, Map<String, ModelDefinition> imported) {
        if (baseDir == null) {
            problems.error(
                    decl.position(),
                    "cannot import \"" + decl.path() + "\": this text has no directory to resolve it against");
            return;
        }
        Path path;
        try {
            path = baseDir.resolve(decl.path()).normalize();
        } catch (InvalidPathException e) {
            problems.error(decl.position(), "cannot import \"" + decl.path() + "\": not a valid path");
            return;
        }
        Path key = absolute(path);
        String displayName = path.toString();
        int cycleStart = importing.indexOf(key);
        if (cycleStart >= 0) {
            List<String> cycle = new ArrayList<>(importingNames.subList(cycleStart, importingNames.size()));
            cycle.add(importingNames.get(cycleStart));
            problems.error(decl.position(), "import cycle: " + String.join(" -> ", cycle));
            return;
        }
        Unit unit = done.get(key);
        if (unit == null) {
            String text;
            try {
                text = SpecParser.withoutByteOrderMark(Files.readString(path, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                problems.error(decl.position(), "cannot import \"" + decl.path() + "\": no such file " + displayName);
                return;
            } catch (IOException e) {
                problems.error(
                        decl.position(),
                        "cannot import \"" + decl.path() + "\": " + e.getClass().getSimpleName() + " "
                                + e.getMessage());
                return;
            }
            Problems own = new Problems();
            importing.add(key);
            importingNames.add(displayName);
            Map<String, ModelDefinition> models;
            try {
                Path dir = path.getParent() != null ? path.getParent() : Path.of("");
                models = compile(displayName, text, dir, own, new ArrayList<>());
            } finally {
                importing.remove(importing.size() - 1);
                importingNames.remove(importingNames.size() - 1);
            }
            unit = new Unit(text, models, own.diagnostics());
            done.put(key, unit);
        }
        // Errors of models extending the imported ones can point into the imported file: quote its lines too.
        problems.addSource(displayName, unit.text());
        if (!unit.diagnostics().isEmpty()) {
            problems.error(decl.position(), "imported file " + displayName + " has errors", unit.diagnostics());
        }
        for (Map.Entry<String, ModelDefinition> model : unit.models().entrySet()) {
            ModelDefinition earlier = imported.putIfAbsent(model.getKey(), model.getValue());
            if (earlier != null && earlier != model.getValue()) {
                problems.error(
                        decl.position(),
                        "model '" + model.getKey() + "' is declared both in "
                                + earlier.decl().position().file() + " and in " + displayName);
            }
        }
    }

    private static Path rootKey(String sourceName, Path baseDir) {
        try {
            Path name = Path.of(sourceName).getFileName();
            return baseDir == null || name == null ? null : absolute(baseDir.resolve(name));
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path absolute(Path path) {
        try {
            return path.toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return path.normalize();
        }
    }
}
