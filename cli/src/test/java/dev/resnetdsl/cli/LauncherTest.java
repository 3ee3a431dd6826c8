package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code resnet} launcher script, run as a user runs it. Every ONNX Runtime command used to die with
 * SIGSEGV (exit 139, no message) once its arguments passed about 4 KB — 91 image paths — because ONNX Runtime
 * 1.29's telemetry client recursed over the command line on the JVM's 1 MiB main-thread stack; the launcher now
 * turns that client off (and with it the files it leaves in $HOME/.cache and /tmp).
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void ninetyOneImagePathsAreClassifiedWithoutACrashOrTelemetryFiles() throws Exception {
        Path checkout = LauncherCheckout.create(dir, "resnet");
        Path model = dir.resolve("model.onnx");
        CliRun export = CliRun.of(
                "export",
                CliRun.rooted("specs/mnist/resnet20.resnet"),
                "--import-root",
                CliRun.rooted("specs"),
                "-o",
                model.toString());
        assertEquals(0, export.status(), export.err());
        Path image = Files.copy(Path.of(CliRun.rooted("samples/images/sunset.png")), dir.resolve("sunset.png"));

        List<String> command =
                new ArrayList<>(List.of("bash", checkout.resolve("resnet").toString(), "run"));
        command.add(model.toString());
        command.add("--image");
        String path = dir + "/" + "./".repeat(20) + image.getFileName();
        for (int i = 0; i < 91; i++) {
            command.add(path);
        }
        assertTrue(String.join(" ", command).length() > 4500, "past the old limit");
        Map<String, String> env = new HashMap<>();
        env.put("ORT_DISABLE_TELEMETRY", null); // what a user's shell has: nothing
        env.put("HOME", dir.toString());
        JavaProcess.Result r = JavaProcess.run(command, dir, env, 300);

        assertEquals(0, r.status(), "exit status (139 = SIGSEGV); stderr: " + r.err());
        assertEquals(91, r.out().lines().filter(l -> l.equals(path + ":")).count(), r.out());
        assertFalse(Files.exists(dir.resolve(".cache/Microsoft")), "ONNX Runtime's telemetry stayed off");
    }
}
