package dev.resnetdsl.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/** {@code WriteFile PATH TEXT}: writes TEXT to PATH with {@link AtomicFiles} (run in another process by tests). */
public final class WriteFile {
    private WriteFile() {}

    public static void main(String[] args) throws IOException {
        AtomicFiles.writeString(Path.of(args[0]), args[1]);
    }
}
