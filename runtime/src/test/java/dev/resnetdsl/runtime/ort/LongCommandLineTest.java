package dev.resnetdsl.runtime.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * ONNX Runtime 1.29's telemetry client matches a regular expression against the process's command line with
 * recursion proportional to its length; on the JVM's 1 MiB main-thread stack about 4 KB of arguments killed the
 * process with SIGSEGV (exit 139). {@link EnvironmentStartup} creates the environment on a thread sized for the
 * command line; this starts a JVM with 64 KB of arguments — past even {@code -Xss16m}'s limit — and telemetry on.
 */
class LongCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void aLongCommandLineDoesNotCrashOnnxRuntimeStartup() throws Exception {
        List<String> args = new ArrayList<>();
        String arg = "./".repeat(60) + "image.png";
        while (args.size() * (arg.length() + 1) < 64 * 1024) {
            args.add(arg);
        }
        Map<String, String> env = new HashMap<>();
        env.put("ORT_DISABLE_TELEMETRY", null); // the case the launcher cannot cover: java run directly
        env.put("HOME", dir.toString()); // the telemetry's database goes under $HOME/.cache
        JavaProcess child = JavaProcess.start(JavaProcess.java(StartOrt.class, args), dir, env);
        JavaProcess.Result r = child.await(120);
        // The telemetry leaves an empty log per process in /tmp; remove the one this test caused.
        Path debugLog = Path.of("/tmp", "mat-debug-" + child.pid() + ".log");
        if (Files.isRegularFile(debugLog) && Files.size(debugLog) == 0) {
            Files.delete(debugLog);
        }
        assertEquals(0, r.status(), "exit status (139 = SIGSEGV); stderr: " + r.err());
        assertTrue(r.out().contains("started with " + args.size() + " arguments"), r.out());
    }
}
