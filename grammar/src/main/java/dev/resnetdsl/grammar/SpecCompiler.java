package dev.resnetdsl.grammar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compiles {@code .resnet} files: parse, resolve imports and {@code extends}, check, and compute every shape. The
 * entry point for everything downstream (CLI, code generator, Maven plugin).
 *
 * <p>A compilation never throws for a bad spec: every problem is a {@link Diagnostic} in the result, and the result
 * has models only when there is no error.
 */
public final class SpecCompiler {
    private SpecCompiler() {}

    /**
     * Reads and compiles {@code file} (UTF-8). Imports are resolved relative to the file's directory.
     *
     * @throws IOException when {@code file} itself cannot be read (a missing imported file is a diagnostic)
     */
    public static Compilation compile(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        return compile(file.toString(), text, dir);
    }

    /**
     * Compiles {@code text}.
     *
     * @param sourceName the name used in diagnostics and {@code ModelSpec.sourceFile}
     * @param baseDir the directory imports are resolved against; {@code null} makes every import an error
     */
    public static Compilation compile(String sourceName, String text, Path baseDir) {
        return new FileCompiler().compileRoot(sourceName, text, baseDir);
    }
}
