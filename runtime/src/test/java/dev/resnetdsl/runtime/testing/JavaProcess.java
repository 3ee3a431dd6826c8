package dev.resnetdsl.runtime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts another process (a second JVM on this test's class path, or a script), for what one process cannot show
 * about itself: a lock held by another process, the umask, a crash that kills the whole process. Output goes to
 * files in the given directory, so a chatty child never blocks on a full pipe.
 */
public final class JavaProcess {
    private final Process process;
    private final Path out;
    private final Path err;

    private JavaProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** What a finished process printed and how it exited. */
    public record Result(int status, String out, String err) {}

    /** The java executable running this test. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path (surefire puts the whole test class path here). */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** {@code java -cp <this class path> mainClass args...}. */
    public static List<String> java(Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", classPath(), mainClass.getName()));
        command.addAll(args);
        return command;
    }

    /**
     * Starts {@code command} in {@code dir} with {@code env} changes (a null value removes the variable).
     */
    public static JavaProcess start(List<String> command, Path dir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new JavaProcess(pb.start(), out, err);
    }

    /** Starts {@code command} and waits up to {@code timeoutSeconds} for it to end. */
    public static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        return start(command, dir, env).await(timeoutSeconds);
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether it is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it has printed on stdout so far. */
    public String outSoFar() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Kills it (SIGKILL: no shutdown hooks, as a crash or {@code kill -9}) and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits up to {@code timeoutSeconds} for the end; kills it and fails the test on a time-out. */
    public Result await(long timeoutSeconds) throws IOException, InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("process " + pid() + " timed out after " + timeoutSeconds + " s; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        Result r = new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
