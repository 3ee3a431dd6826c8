package dev.resnetdsl.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --import-root} option of every command that compiles specs (a picocli mixin). Imports are untrusted
 * paths and must lie inside the import root (docs/security.md). Like protoc's default {@code --proto_path}, the
 * root is the current directory when the spec lies inside it — so {@code resnet check specs/mnist/resnet20.resnet}
 * run from the repository may import {@code ../cifar/resnet20.resnet} — and otherwise the spec's own folder.
 */
final class ImportRootOption {
    @Option(
            names = "--import-root",
            paramLabel = "DIR",
            description = "imports must lie inside DIR (default: the current directory if it holds the spec,"
                    + " else the spec's folder)")
    Path root;

    /** The import root for compiling {@code spec}. */
    Path rootFor(Path spec) {
        if (root != null) {
            return root;
        }
        Path cwd = Path.of("").toAbsolutePath();
        try {
            Path realSpec = spec.toRealPath();
            if (realSpec.startsWith(cwd.toRealPath())) {
                return cwd;
            }
        } catch (IOException e) {
            // An unreadable spec fails later with its own message; its folder is as good a root as any.
        }
        Path parent = spec.toAbsolutePath().getParent();
        return parent != null ? parent : cwd;
    }
}
