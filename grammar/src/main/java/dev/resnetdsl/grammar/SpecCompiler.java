package dev.resnetdsl.grammar;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Compiles {@code .resnet} files: parse, resolve imports and {@code extends}, check, and compute every shape. The
 * entry point for everything downstream (CLI, code generator, Maven plugin).
 *
 * <p>A compilation never throws for a bad spec: every problem is a {@link Diagnostic} in the result, and the result
 * has models only when there is no error.
 *
 * <p>Imports are untrusted paths: an import names a regular {@code .resnet} file inside the <em>import root</em> (by
 * real path, symbolic links followed), by default the folder of the file being compiled. Sizes are bounded by
 * {@link SpecSources}. docs/security.md gives the rules and the reasons.
 */
public final class SpecCompiler {
    private SpecCompiler() {}

    /**
     * Reads and compiles {@code file} (UTF-8, at most {@link SpecSources#MAX_FILE_BYTES}). Imports are resolved
     * relative to the importing file's directory and must lie inside {@code file}'s directory.
     *
     * @throws IOException when {@code file} itself cannot be read or is too large (a bad import is a diagnostic)
     */
    public static Compilation compile(Path file) throws IOException {
        return compile(file, folderOf(file));
    }

    /**
     * Reads and compiles {@code file}; every import must lie inside {@code importRoot} (by real path), which
     * should contain {@code file}'s directory.
     *
     * @throws IOException when {@code file} itself cannot be read or is too large (a bad import is a diagnostic)
     */
    public static Compilation compile(Path file, Path importRoot) throws IOException {
        String text = SpecSources.read(file);
        return new FileCompiler(importRoot).compileRoot(file.toString(), text, folderOf(file), file);
    }

    /**
     * Compiles {@code text}; imports must lie inside {@code baseDir}.
     *
     * @param sourceName the name used in diagnostics and {@code ModelSpec.sourceFile}
     * @param baseDir the directory imports are resolved against; {@code null} makes every import an error
     */
    public static Compilation compile(String sourceName, String text, Path baseDir) {
        return compile(sourceName, text, baseDir, baseDir);
    }

    /**
     * Compiles {@code text}, resolving imports against {@code baseDir}; every import must lie inside
     * {@code importRoot} ({@code null} refuses every import).
     */
    public static Compilation compile(String sourceName, String text, Path baseDir, Path importRoot) {
        return new FileCompiler(importRoot).compileRoot(sourceName, text, baseDir, null);
    }

    private static Path folderOf(Path file) {
        return file.getParent() != null ? file.getParent() : Path.of("");
    }
}
