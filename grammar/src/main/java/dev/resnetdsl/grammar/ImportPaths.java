package dev.resnetdsl.grammar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What an {@code import} may name, decided before a byte of it is read: a regular file whose name ends in
 * {@code .resnet} — both as written and after following symbolic links — whose real path lies inside the import
 * root. So {@code import "/proc/self/environ"}, {@code import "../../../etc/shadow"}, a {@code .resnet} symlink to
 * either, a FIFO or a device is refused with a message that names the path and never its content.
 */
final class ImportPaths {
    /** An import that may be read ({@code file}, its real path) or the reason it may not ({@code problem}). */
    record Resolved(Path file, Path realFile, String problem) {
        static Resolved refused(String problem) {
            return new Resolved(null, null, problem);
        }
    }

    private final Path realRoot;
    private final String rootName;

    /** @param root the folder every import must lie in (by real path); {@code null} refuses every import */
    ImportPaths(Path root) {
        Path real = null;
        if (root != null) {
            try {
                real = root.toRealPath();
            } catch (IOException | InvalidPathException e) {
                real = null;
            }
        }
        this.realRoot = real;
        this.rootName = root == null ? null : root.toString().isEmpty() ? "." : root.toString();
    }

    /** Resolves {@code written} (the import's string) against {@code baseDir}, the importing file's folder. */
    Resolved resolve(Path baseDir, String written) {
        if (!written.endsWith(SpecSources.SUFFIX)) {
            return Resolved.refused("only " + SpecSources.SUFFIX + " files can be imported");
        }
        Path path;
        try {
            path = baseDir.resolve(written).normalize();
        } catch (InvalidPathException e) {
            return Resolved.refused("not a valid path");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Resolved.refused("no such file " + path);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            return Resolved.refused(path + " is a broken symbolic link");
        } catch (IOException e) {
            return Resolved.refused(
                    "cannot resolve " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        if (realRoot == null) {
            return Resolved.refused("the import root " + rootName + " does not exist");
        }
        if (!real.startsWith(realRoot)) {
            return Resolved.refused(path + " is outside the import root " + rootName
                    + " (imports stay inside the folder of the spec being compiled, or the import root set for it)");
        }
        if (!real.getFileName().toString().endsWith(SpecSources.SUFFIX)) {
            return Resolved.refused(path + " links to a file whose name does not end in " + SpecSources.SUFFIX);
        }
        if (!Files.isRegularFile(real)) {
            return Resolved.refused(path + " is not a regular file");
        }
        return new Resolved(path, real, null);
    }
}
