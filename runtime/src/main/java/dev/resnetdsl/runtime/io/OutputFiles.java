package dev.resnetdsl.runtime.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Checks an output path against the inputs of the same job, so that a command never overwrites what it is
 * reading (a model given as its own output, say). Files are compared as the file system sees them — through
 * symbolic links, {@code ..} and hard links — not by name.
 */
public final class OutputFiles {
    private OutputFiles() {}

    /**
     * @throws IllegalArgumentException when {@code output} is the same file as one of {@code inputs}
     * @throws IOException when the comparison itself fails (an unreadable directory, say)
     */
    public static void requireNotAnInput(Path output, Collection<Path> inputs) throws IOException {
        for (Path input : inputs) {
            if (input != null && sameFile(output, input)) {
                throw new IllegalArgumentException(output + " is also an input of this job (" + input
                        + "); writing the output there would destroy it — choose another output file");
            }
        }
    }

    /** Whether both paths exist and are one file (same device and inode). */
    static boolean sameFile(Path a, Path b) throws IOException {
        if (!Files.exists(a) || !Files.exists(b)) {
            return false;
        }
        return Files.isSameFile(a, b);
    }
}
