package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.io.Printable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exclusive right to write one training bundle: an operating-system lock ({@link FileChannel#tryLock}) on
 * {@value #FILE} in the bundle directory, taken by every writer — training, a single step, rewriting the bundle —
 * and released by {@link #close}. A second writer fails at once with a {@link BundleInUseException} naming the
 * holder, which records its process id, host, start time and command in the file.
 *
 * <p>The lock belongs to the open file, not to the file's existence: the kernel drops it when the holder exits, is
 * killed or crashes, so a lock file left behind never blocks anyone, and the file is never deleted (deleting it
 * would let two processes lock two different files of the same name). Taking the lock also removes the temporary
 * files that writes interrupted by a kill left in the directory: while the lock is held no other writer can be
 * using them.
 *
 * <p>The command recorded is the system property {@value #COMMAND_PROPERTY} when set (the command line sets it to
 * its own arguments), else the JVM's command line, cut to {@value #MAX_COMMAND} characters.
 */
public final class BundleLock implements AutoCloseable {
    /** The lock file in a bundle directory. */
    public static final String FILE = "bundle.lock";

    /** System property naming the holder's command, if the JVM's own command line would not say it well. */
    public static final String COMMAND_PROPERTY = "resnet.command";

    static final int MAX_COMMAND = 300;
    // The holder's description is at most a few hundred bytes; never read more of a (possibly hostile) file.
    private static final int MAX_READ = 4096;

    private final FileChannel channel;
    private final FileLock lock;
    private final List<String> removedTemporaries;

    private BundleLock(FileChannel channel, FileLock lock, List<String> removedTemporaries) {
        this.channel = channel;
        this.lock = lock;
        this.removedTemporaries = removedTemporaries;
    }

    /**
     * Locks the bundle directory {@code dir} (created if missing) for writing.
     *
     * @throws BundleInUseException when another process, or this one, holds it
     * @throws IOException when the lock file cannot be created or written
     */
    public static BundleLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel channel;
        try {
            // NOFOLLOW_LINKS: a planted symbolic link must not make us truncate the file it points to.
            channel = FileChannel.open(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException(
                    dir + ": cannot open the bundle's lock file " + FILE + " (" + e.getMessage() + ")", e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new BundleInUseException(dir + " is already open for writing in this process");
            }
            if (lock == null) {
                throw new BundleInUseException(dir + " is in use by another process (" + holder(channel)
                        + "); wait for it to finish or stop it");
            }
            byte[] record = describeThisProcess().getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(record), 0);
            channel.force(false);
            List<String> removed = AtomicFiles.removeTemporaries(dir);
            return new BundleLock(channel, lock, removed);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Names of the temporary files of interrupted writes that taking the lock removed. */
    public List<String> removedTemporaries() {
        return removedTemporaries;
    }

    /** Releases the lock (the lock file stays, emptied). */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }

    private static String describeThisProcess() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("pid", Long.toString(ProcessHandle.current().pid()));
        fields.put("host", hostName());
        fields.put("since", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        fields.put("command", Printable.text(command(), MAX_COMMAND));
        StringBuilder s = new StringBuilder();
        fields.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return s.toString();
    }

    private static String command() {
        String property = System.getProperty(COMMAND_PROPERTY);
        if (property != null && !property.isBlank()) {
            return property;
        }
        return ProcessHandle.current().info().commandLine().orElse("a Java process");
    }

    /** The host name without a DNS lookup (which can take seconds in a badly configured container). */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown host";
        }
    }

    /** What the holder recorded, as one line: "pid 12 on host h since …, running: …". */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_READ);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), Printable.text(line.substring(eq + 1), MAX_COMMAND));
            }
        }
        if (!fields.containsKey("pid")) {
            return "it has not recorded which yet";
        }
        return "pid " + Printable.name(fields.get("pid")) + " on " + Printable.name(fields.getOrDefault("host", "?"))
                + " since " + Printable.name(fields.getOrDefault("since", "?")) + ", running: "
                + fields.getOrDefault("command", "?");
    }
}
