package dev.resnetdsl.grammar;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (the directory holding {@code specs/}). */
public final class RepoRoot {
    private RepoRoot() {}

    /** System property {@code resnet.root} (set by surefire), else the first parent of the working dir with specs/. */
    public static Path get() {
        String property = System.getProperty("resnet.root");
        if (property != null && Files.isDirectory(Path.of(property, "specs"))) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("specs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (no specs/ above "
                + Path.of("").toAbsolutePath() + ")");
    }

    /** {@code specs/<relative>} under the root. */
    public static Path spec(String relative) {
        return get().resolve("specs").resolve(relative);
    }
}
