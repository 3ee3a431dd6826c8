package dev.resnetdsl.spark.train;

import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkFiles;

/**
 * An executor's open training bundles for one model, lent to its worker tasks: a task borrows one, loads the round's
 * averaged state into it, steps, and gives it back, so a bundle (and its ONNX Runtime sessions) is opened once per
 * task slot that ever needs one, not once per round. Any bundle serves any worker, because a round starts by replacing
 * every value that changes. The bundle's files live in a folder under Spark's per-application directory, deleted when
 * the pool closes.
 *
 * <p>Closing never pulls a bundle from under a running task: a borrowed bundle is closed when it comes back. Closing
 * one while a task's step ran inside ONNX Runtime crashed the JVM (SIGSEGV in {@code OrtSession.run}, seen when a
 * killed run's shutdown closed the executor cache under two running worker tasks).
 */
final class WorkerBundles implements AutoCloseable {
    private static final AtomicInteger OPENED = new AtomicInteger();

    private final Path dir;
    private final SessionSettings settings;
    private final Deque<TrainingBundle> idle = new ArrayDeque<>();
    private boolean closed;

    private WorkerBundles(Path dir, SessionSettings settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /** Unpacks {@code files} into a fresh folder; bundles are opened on demand. */
    static WorkerBundles create(BundleFiles files, SessionSettings settings) throws IOException {
        Path root = Path.of(SparkFiles.getRootDirectory());
        Path dir = Files.createTempDirectory(root, "resnet-bundle-");
        files.writeTo(dir);
        return new WorkerBundles(dir, settings);
    }

    /** A pool over the bundle folder {@code dir}, which it owns (and deletes when it closes). */
    static WorkerBundles over(Path dir, SessionSettings settings) {
        return new WorkerBundles(dir, settings);
    }

    /** An idle bundle, or a newly opened one. */
    TrainingBundle borrow() throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException("the executor's training bundles are closed (the executor is stopping)");
            }
            TrainingBundle b = idle.poll();
            if (b != null) {
                return b;
            }
        }
        TrainingBundle opened = TrainingBundle.openReadOnly(dir, settings);
        OPENED.incrementAndGet();
        return opened;
    }

    /**
     * Returns a bundle for the next task (its state is replaced when it is borrowed again), or closes it when the pool
     * closed while it was out.
     */
    synchronized void giveBack(TrainingBundle b) {
        if (closed) {
            b.close();
        } else {
            idle.push(b);
        }
    }

    /** Training bundles opened by worker tasks in this JVM (each holds its own sessions). */
    static int opened() {
        return OPENED.get();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // Only idle bundles: the borrowed ones are closed by giveBack when their tasks end.
        for (TrainingBundle b : idle) {
            b.close();
        }
        idle.clear();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
