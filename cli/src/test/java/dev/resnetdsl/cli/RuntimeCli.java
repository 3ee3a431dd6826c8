package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the CLI in-process with captured output, and locates the repository's specs and the shared fixtures. */
final class RuntimeCli {
    /** Exit status and captured streams of one run. */
    record Result(int status, String out, String err) {}

    private RuntimeCli() {}

    static Result run(String... args) {
        CliRun r = CliRun.of(args);
        return new Result(r.status(), r.out(), r.err());
    }

    /** The repository root (system property {@code resnet.root}, set by the build; else the parent directory). */
    static Path root() {
        return CliRun.root();
    }

    /** A spec under specs/. */
    static Path spec(String relative) {
        return root().resolve("specs").resolve(relative);
    }

    /** A fixture file; fails in CI (CI=true) and skips loudly elsewhere when the fixtures are missing. */
    static Path fixture(String relative) {
        String shared = System.getProperty("resnet.shared");
        Path base = shared != null && !shared.isBlank() ? Path.of(shared) : root().resolve("../shared");
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
