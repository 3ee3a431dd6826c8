package dev.resnetdsl.cli.progress;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The width of the terminal, in columns, without native code: {@code $COLUMNS} when the shell exports it, else
 * {@code stty size} with its input on {@code /dev/tty} (the terminal itself, whatever standard input is), else 80.
 * A progress line wider than the terminal wraps, and every redraw then adds a line instead of replacing one.
 */
public final class TerminalWidth {
    /** The width assumed when none can be found: the classic terminal. */
    public static final int DEFAULT = 80;

    private TerminalWidth() {}

    /** The current terminal's width, or {@link #DEFAULT}. */
    public static int detect() {
        Integer fromEnv = parse(System.getenv("COLUMNS"));
        if (fromEnv != null) {
            return fromEnv;
        }
        Integer fromStty = stty();
        return fromStty != null ? fromStty : DEFAULT;
    }

    /** {@code $COLUMNS} (or another value of the same form) as a width, or null when it is not one. */
    static Integer parse(String columns) {
        if (columns == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(columns.strip());
            return n >= 20 && n <= 10_000 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The second number of {@code stty size} ("rows columns"), or null. */
    static Integer parseSttySize(String output) {
        String[] parts = output.strip().split("\\s+");
        return parts.length == 2 ? parse(parts[1]) : null;
    }

    private static Integer stty() {
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return null;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder("stty", "size").redirectInput(tty);
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = builder.environment();
            env.put("LC_ALL", "C");
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return process.exitValue() == 0 ? parseSttySize(out) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
