package dev.resnetdsl.grammar;

import dev.resnetdsl.grammar.spec.ModelSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The result of compiling one spec file.
 *
 * @param sourceName the file name as given (used in diagnostics)
 * @param text the file's text
 * @param models the models declared in this file (not the imported ones), in order; empty when there are errors
 * @param diagnostics every problem found, in file order; syntax errors first when the file does not parse
 * @param files every file read: the root file (when it was compiled from a file) and each imported file, once
 *     each, as resolved; what a build must watch to know whether generated code is stale
 */
public record Compilation(
        String sourceName, String text, List<ModelSpec> models, List<Diagnostic> diagnostics, List<Path> files) {
    public Compilation {
        models = List.copyOf(models);
        diagnostics = List.copyOf(diagnostics);
        files = List.copyOf(files);
    }

    /** Whether any diagnostic is an error. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** Every diagnostic in {@link Diagnostic#format()} form, each followed by a line break; empty when none. */
    public String formatDiagnostics() {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            out.append(d.format()).append('\n');
        }
        return out.toString();
    }
}
