package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.testing.Fixtures;
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

    /** A fixture file under ../shared/fixtures; fails in CI (CI=true) and skips loudly elsewhere when missing. */
    static Path fixture(String relative) {
        return Fixtures.require(relative);
    }
}
