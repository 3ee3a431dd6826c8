package dev.resnetdsl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Runs the CLI in-process and captures what it prints; the shared harness of the CLI tests. */
public record CliRun(int status, String out, String err) {

    /** Runs {@code resnet args...}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ResNetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(status, out.toString(), err.toString());
    }

    /** The repository root (system property {@code resnet.root}, else the nearest parent holding specs/). */
    public static Path root() {
        String property = System.getProperty("resnet.root");
        if (property != null && Files.isDirectory(Paths.get(property, "specs"))) {
            return Paths.get(property);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("specs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (a directory holding specs/)");
        }
        return dir;
    }

    /** A path under the repository root, as a string argument. */
    public static String rooted(String relative) {
        return root().resolve(relative).toString();
    }
}
