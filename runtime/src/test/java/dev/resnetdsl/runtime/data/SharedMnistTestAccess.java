package dev.resnetdsl.runtime.data;

import java.nio.file.Path;

/** Lets tests in other packages find the shared MNIST folder the way {@link SharedMnistTest} does. */
public final class SharedMnistTestAccess {
    private SharedMnistTestAccess() {}

    /** The shared MNIST folder; fails when missing and CI=true, else skips loudly. */
    public static Path mnistDir() {
        return SharedMnistTest.mnistDir();
    }
}
