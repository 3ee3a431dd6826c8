package dev.resnetdsl.training.bundle;

import java.nio.file.Path;

/** {@code HoldBundleLock DIR}: takes the bundle's lock, prints "locked", and holds it until killed (for tests). */
public final class HoldBundleLock {
    private HoldBundleLock() {}

    public static void main(String[] args) throws Exception {
        System.setProperty(BundleLock.COMMAND_PROPERTY, "resnet train " + args[0] + " (a test's stand-in)");
        BundleLock lock = BundleLock.acquire(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        lock.close();
    }
}
