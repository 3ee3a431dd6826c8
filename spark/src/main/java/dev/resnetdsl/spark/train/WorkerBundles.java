package dev.resnetdsl.spark.train;

import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkFiles;

/**
 * An executor's open training bundles for one model, lent to its worker tasks: a task borrows one, loads the round's
 * averaged state into it, steps, and gives it back, so a bundle (and its ONNX Runtime sessions) is opened once per
 * task slot that ever needs one, not once per round. Any bundle serves any worker, because a round starts by replacing
 * every value that changes. The bundle's files live in a folder under Spark's per-application directory, deleted when
 * the pool closes.
 */
final class WorkerBundles implements AutoCloseable {
    private static final AtomicInteger OPENED = new AtomicInteger();

    private final Path dir;
    private final SessionSettings settings;
    private final Deque<TrainingBundle> idle = new ArrayDeque<>();
    private final List<TrainingBundle> all = new ArrayList<>();

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

    /** An idle bundle, or a newly opened one. */
    TrainingBundle borrow() throws IOException {
        synchronized (this) {
            TrainingBundle b = idle.poll();
            if (b != null) {
                return b;
            }
        }
        TrainingBundle opened = TrainingBundle.openReadOnly(dir, settings);
        OPENED.incrementAndGet();
        synchronized (this) {
            all.add(opened);
        }
        return opened;
    }

    /** Returns a bundle for the next task (its state is replaced when it is borrowed again). */
    synchronized void giveBack(TrainingBundle b) {
        idle.push(b);
    }

    /** Training bundles opened by worker tasks in this JVM (each holds its own sessions). */
    static int opened() {
        return OPENED.get();
    }

    @Override
    public synchronized void close() throws IOException {
        for (TrainingBundle b : all) {
            b.close();
        }
        all.clear();
        idle.clear();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
