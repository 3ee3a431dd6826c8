package dev.resnetdsl.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance per JVM and key of an expensive, closeable resource — an ONNX Runtime session, a pool of training
 * bundles — shared by every task that runs in that JVM: an executor in a cluster, the driver in local mode.
 *
 * <p>Keys carry a content hash, so every job that ships the same model bytes reuses one session while a changed model
 * gets its own. Entries live until {@link #closeAll()}, which {@link ResNetSparkPlugin} calls when the executor stops.
 * Without the plugin they live as long as the JVM, whose exit frees their native memory; there is deliberately no JVM
 * shutdown hook: it ran while tasks were still inside ONNX Runtime (a run stopped with SIGTERM) and closing their
 * sessions under them crashed the JVM with SIGSEGV. Like {@code TrainingBundle.open}, a factory
 * that fails leaves nothing behind: the exception reaches the task, and the next task tries again.
 */
public final class ExecutorCache {
    private static final ConcurrentHashMap<String, AutoCloseable> ENTRIES = new ConcurrentHashMap<>();
    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final AtomicInteger CLOSED = new AtomicInteger();

    private ExecutorCache() {}

    /** Makes one value; may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface Factory<T> {
        T create() throws IOException;
    }

    /**
     * The entry for {@code key}, created by {@code factory} the first time this JVM asks (concurrent callers wait for
     * that one creation).
     *
     * @throws UncheckedIOException when the factory fails; nothing is cached then
     */
    public static <T extends AutoCloseable> T get(String key, Class<T> type, Factory<? extends T> factory) {
        AutoCloseable value = ENTRIES.computeIfAbsent(key, k -> {
            try {
                T created = factory.create();
                CREATED.incrementAndGet();
                return created;
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
        return type.cast(value);
    }

    /** Closes and forgets every entry; safe to call more than once, and from several threads. */
    public static void closeAll() {
        List<AutoCloseable> values = new ArrayList<>();
        for (String key : List.copyOf(ENTRIES.keySet())) {
            AutoCloseable v = ENTRIES.remove(key);
            if (v != null) {
                values.add(v);
            }
        }
        for (AutoCloseable v : values) {
            try {
                v.close();
                CLOSED.incrementAndGet();
            } catch (Exception e) {
                // Closing frees native memory at executor shutdown; a failure there has nobody to tell but the log.
                System.err.println(
                        "resnet-spark: closing a cached " + v.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }

    /** Entries created in this JVM since it started (sessions opened, for a report). */
    public static int created() {
        return CREATED.get();
    }

    /** Entries closed in this JVM since it started. */
    public static int closed() {
        return CLOSED.get();
    }

    /** Entries held now. */
    public static int size() {
        return ENTRIES.size();
    }
}
