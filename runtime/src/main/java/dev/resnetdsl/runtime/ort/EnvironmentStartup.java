package dev.resnetdsl.runtime.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates ONNX Runtime's process-wide environment on a thread whose stack is sized for the process's command
 * line.
 *
 * <p>Why: ONNX Runtime 1.29.0's Linux build starts Microsoft's 1DS telemetry client when the environment is
 * created (unless the environment variable {@code ORT_DISABLE_TELEMETRY=1} is set). The client matches a
 * libstdc++ {@code std::regex} against {@code /proc/self/cmdline}, and that matcher recurses once per character:
 * measured here, 130–260 bytes of native stack per byte of command line. The JVM's main thread has a 1 MiB stack
 * (the launcher's default {@code -Xss}), so about 4 KB of arguments — 91 image paths — overflowed it, and a
 * native stack overflow kills the process with SIGSEGV (exit 139) before the JVM can say anything.
 * {@code -Xss16m} only moves the limit to about 64 KB. The {@code resnet} launcher sets
 * {@code ORT_DISABLE_TELEMETRY=1}, which removes the cause (and the telemetry's files: a database under
 * {@code ~/.cache/Microsoft}, an empty {@code /tmp/mat-debug-PID.log} per process); this class keeps every other
 * way in — {@code java -jar}, the Java API, tests, Spark executors — from crashing: 8 MiB plus 512 bytes per byte
 * of command line (twice the worst measured rate) is reserved, and only what the recursion touches is committed.
 */
final class EnvironmentStartup {
    /** Stack for the environment's creation beyond what the command line needs. */
    static final long BASE_STACK = 8L << 20;

    /** Stack bytes reserved per byte of command line. */
    static final long STACK_PER_COMMAND_LINE_BYTE = 512;

    private EnvironmentStartup() {}

    /** Creates (or returns) the environment, logging only fatal messages, with telemetry events off. */
    static OrtEnvironment create() {
        AtomicReference<OrtEnvironment> created = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread thread = new Thread(
                null,
                () -> {
                    try {
                        // ONNX Runtime's own log lines would duplicate, in another format, the one-line errors the
                        // tools report from its exceptions; fatal messages still show.
                        OrtEnvironment env =
                                OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "resnet-dsl");
                        env.setTelemetry(false);
                        created.set(env);
                    } catch (OrtException | RuntimeException | LinkageError e) {
                        failed.set(e);
                    }
                },
                "onnxruntime-startup",
                stackSize(commandLineBytes()));
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = failed.get();
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("ONNX Runtime could not start: " + failure.getMessage(), failure);
        }
        return created.get();
    }

    static long stackSize(long commandLineBytes) {
        return BASE_STACK + STACK_PER_COMMAND_LINE_BYTE * Math.max(0, commandLineBytes);
    }

    /** The length of the process's command line as the kernel shows it, or 0 when it cannot be read. */
    static long commandLineBytes() {
        Path cmdline = Path.of("/proc/self/cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return Files.readAllBytes(cmdline).length;
            }
        } catch (IOException | SecurityException e) {
            // fall through to what the JDK knows
        }
        return ProcessHandle.current().info().commandLine().map(String::length).orElse(0);
    }
}
