package dev.resnetdsl.runtime.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared reference fixtures (../shared/fixtures). The directory comes from the system property
 * {@code resnet.shared} (set by the build), else {@code ../shared} next to the repository. When it is missing a
 * test fails in CI (environment variable CI=true) and is skipped, loudly, elsewhere.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The path of {@code relative} under the fixtures directory, or fail/skip as described above. */
    public static Path require(String relative) {
        String shared = System.getProperty("resnet.shared");
        Path base;
        if (shared != null && !shared.isBlank()) {
            base = Path.of(shared);
        } else {
            String root = System.getProperty("resnet.root", "..");
            base = Path.of(root).resolve("../shared");
        }
        Path file = base.resolve("fixtures").resolve(relative);
        if (!Files.exists(file)) {
            String message = "fixture " + file + " is missing (set -Dresnet.shared=<dir with fixtures/>)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true, so this is a failure");
            }
            System.err.println("SKIPPED: " + message);
            assumeTrue(false, message);
        }
        return file;
    }
}
