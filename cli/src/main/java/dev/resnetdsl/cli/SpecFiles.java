package dev.resnetdsl.cli;

import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.grammar.spec.ModelSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Compiles spec files for commands, turning missing files and diagnostics into user errors. */
public final class SpecFiles {
    private SpecFiles() {}

    /**
     * Compiles {@code file}; prints its diagnostics to {@code err}. Returns the compilation (which may have
     * errors); a missing or unreadable file is a {@link UserError}.
     */
    public static Compilation compile(Path file, Path importRoot, PrintWriter err) {
        if (!Files.exists(file)) {
            throw new UserError(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new UserError(file + ": is a directory, not a .resnet file");
        }
        Compilation compilation;
        try {
            compilation = SpecCompiler.compile(file, importRoot);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw new UserError(message.startsWith(file.toString()) ? message : file + ": cannot read: " + message);
        }
        if (!compilation.diagnostics().isEmpty()) {
            err.print(compilation.formatDiagnostics());
            if (compilation.diagnostics().stream().anyMatch(d -> d.message().contains("outside the import root"))) {
                err.println("resnet: note: the import root is " + importRoot
                        + "; pass --import-root DIR to allow imports from a wider folder");
            }
            err.flush();
        }
        return compilation;
    }

    /**
     * Compiles {@code file} and returns the model to work on: the one named {@code modelName}, or the file's
     * only (else last) model. Diagnostics are printed and turn into a {@link UserError} (exit 1).
     */
    public static ModelSpec model(Path file, Path importRoot, String modelName, PrintWriter err) {
        Compilation compilation = compile(file, importRoot, err);
        if (compilation.hasErrors()) {
            throw new UserError(file + " has " + errorCount(compilation));
        }
        return pick(file, compilation.models(), modelName);
    }

    /** The model named {@code modelName}, or the last model of the file when no name is given. */
    static ModelSpec pick(Path file, List<ModelSpec> models, String modelName) {
        if (models.isEmpty()) {
            throw new UserError(file + ": declares no model");
        }
        if (modelName == null) {
            return models.get(models.size() - 1);
        }
        return models.stream()
                .filter(m -> m.name().equals(modelName))
                .findFirst()
                .orElseThrow(() -> new UserError(file + ": no model named '" + modelName + "' (it declares "
                        + models.stream().map(ModelSpec::name).collect(Collectors.joining(", ")) + ")"));
    }

    static String errorCount(Compilation compilation) {
        long n = compilation.diagnostics().size();
        return n == 1 ? "1 error" : n + " errors";
    }
}
