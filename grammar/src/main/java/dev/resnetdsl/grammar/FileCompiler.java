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
import dev.resnetdsl.grammar.spec.SourcePosition;
import java.io.IOException;
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
 * compilation; a file that (indirectly) imports itself is an error at the import that closes the cycle. What an
 * import may name is {@link ImportPaths}'s decision; how much is read is bounded by {@link SpecSources}: every
 * file, the total, and the depth of the import chain (so a chain of thousands of files is a positioned error, not
 * a stack overflow).
 */
final class FileCompiler {
    /** What a compiled file offers to the files importing it. */
    private record Unit(String text, Map<String, ModelDefinition> models, List<Diagnostic> diagnostics) {}

    private final Map<Path, Unit> done = new HashMap<>();
    private final List<Path> importing = new ArrayList<>();
    private final List<String> importingNames = new ArrayList<>();
    /** Every file read for this compilation, the root first when it is a file: what a build must hash. */
    private final List<Path> read = new ArrayList<>();

    private final ImportPaths importPaths;
    private long bytesRead;
    private long blocksAnalyzed;

    /** @param importRoot the folder every import must lie in; {@code null} refuses every import */
    FileCompiler(Path importRoot) {
        this.importPaths = new ImportPaths(importRoot);
    }

    Compilation compileRoot(String sourceName, String rawText, Path baseDir, Path rootFile) {
        String text = SpecParser.withoutByteOrderMark(rawText);
        bytesRead = text.length();
        if (rootFile != null) {
            read.add(rootFile);
        }
        Problems problems = new Problems();
        List<ModelSpec> specs = new ArrayList<>();
        // The root file is on the import stack too, so that a file importing itself (indirectly) is a cycle.
        importing.add(rootKey(sourceName, baseDir));
        importingNames.add(sourceName);
        compile(sourceName, text, baseDir, problems, specs);
        List<Diagnostic> diagnostics = problems.diagnostics();
        boolean errors = diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        return new Compilation(sourceName, text, errors ? List.of() : specs, diagnostics, read);
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
        if (file.models().isEmpty()) {
            // An empty file (or one with only imports and comments) checks nothing and generates nothing: almost
            // always the wrong file or an unsaved buffer.
            problems.error(new SourcePosition(sourceName, 1, 1), "the file declares no model");
        }
        if (file.models().size() > SpecSources.MAX_MODELS_PER_FILE) {
            problems.error(
                    file.models().get(SpecSources.MAX_MODELS_PER_FILE).name().position(),
                    "more than " + SpecSources.MAX_MODELS_PER_FILE + " models in one file");
            return Map.of();
        }
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
            if (blocksAnalyzed > SpecSources.MAX_BLOCKS_PER_COMPILATION) {
                problems.error(
                        definition.decl().name().position(),
                        "this compilation has already analyzed more than " + SpecSources.MAX_BLOCKS_PER_COMPILATION
                                + " blocks; split the models over several files");
                continue;
            }
            Optional<ModelSpec> spec = Analyzer.analyze(definition, sourceName, problems);
            spec.ifPresent(specs::add);
            spec.ifPresent(s -> blocksAnalyzed += s.stages().stream()
                    .mapToLong(stage -> stage.blocks().size())
                    .sum());
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
        ImportPaths.Resolved resolved = importPaths.resolve(baseDir, decl.path());
        if (resolved.problem() != null) {
            problems.error(decl.position(), "cannot import \"" + decl.path() + "\": " + resolved.problem());
            return;
        }
        Path path = resolved.file();
        Path key = resolved.realFile();
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
            if (importing.size() >= SpecSources.MAX_IMPORT_DEPTH) {
                problems.error(
                        decl.position(),
                        "cannot import \"" + decl.path() + "\": imports nest deeper than "
                                + SpecSources.MAX_IMPORT_DEPTH + " files (" + importingNames.get(0) + " -> … -> "
                                + importingNames.get(importingNames.size() - 1) + ")");
                return;
            }
            String text;
            try {
                text = SpecParser.withoutByteOrderMark(SpecSources.read(path));
            } catch (NoSuchFileException e) {
                problems.error(decl.position(), "cannot import \"" + decl.path() + "\": no such file " + displayName);
                return;
            } catch (IOException e) {
                // SpecSources' messages name the file and never quote it; other exceptions say only their kind.
                String why = e.getMessage() != null && e.getMessage().startsWith(path.toString())
                        ? e.getMessage()
                        : displayName + ": " + e.getClass().getSimpleName();
                problems.error(decl.position(), "cannot import \"" + decl.path() + "\": " + why);
                return;
            }
            bytesRead += text.length();
            if (bytesRead > SpecSources.MAX_TOTAL_BYTES) {
                problems.error(
                        decl.position(),
                        "cannot import \"" + decl.path() + "\": this compilation has read more than "
                                + SpecSources.mebibytes(SpecSources.MAX_TOTAL_BYTES) + " of spec text");
                return;
            }
            read.add(path);
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

    /** The root file's real path (imports are keyed by real path, so a cycle through a symlink is seen). */
    private static Path rootKey(String sourceName, Path baseDir) {
        try {
            Path name = Path.of(sourceName).getFileName();
            return baseDir == null || name == null
                    ? null
                    : baseDir.resolve(name).toRealPath();
        } catch (InvalidPathException | IOException e) {
            return null;
        }
    }
}
