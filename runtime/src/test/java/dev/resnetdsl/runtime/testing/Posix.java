package dev.resnetdsl.runtime.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** File-system objects only a POSIX system has (FIFOs); tests that need them are skipped elsewhere. */
public final class Posix {
    private Posix() {}

    /** Makes a FIFO (named pipe) at {@code path} with mkfifo(1). */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        assumeTrue(path.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX system");
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(path)) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }
}
