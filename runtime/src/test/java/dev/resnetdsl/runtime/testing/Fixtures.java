package dev.resnetdsl.runtime.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared reference data next to the repository ({@code ../shared}: PyTorch fixtures under {@code fixtures/},
 * MNIST under {@code data/mnist}). The directory comes from the system property {@code resnet.shared} (set by the
 * build), else {@code ../shared} beside {@code resnet.root}. When something is missing a test fails in CI
 * (environment variable CI=true) and is skipped, loudly, elsewhere. Every test that reads {@code ../shared} goes
 * through here (the cli module's tests too, via this module's test-jar), so the policy lives in one place.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The path of {@code relative} under {@code ../shared/fixtures}, or fail/skip as described above. */
    public static Path require(String relative) {
        return requireShared("fixtures/" + relative);
    }

    /** The path of {@code relative} (a file or folder) under {@code ../shared}, or fail/skip as described above. */
    public static Path requireShared(String relative) {
        Path file = sharedDir().resolve(relative);
        if (!Files.exists(file)) {
            String message = "fixture " + file.toAbsolutePath().normalize()
                    + " is missing (set -Dresnet.shared=<dir with fixtures/ and data/>)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true, so this is a failure");
            }
            System.err.println("SKIPPED: " + message);
            assumeTrue(false, message);
        }
        return file;
    }

    private static Path sharedDir() {
        String shared = System.getProperty("resnet.shared");
        // An unresolved "${...}" means the property came from a build that did not define it.
        if (shared != null && !shared.isBlank() && !shared.contains("${")) {
            return Path.of(shared);
        }
        return Path.of(System.getProperty("resnet.root", "..")).resolve("../shared");
    }
}
