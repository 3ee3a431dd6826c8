package dev.resnetdsl.runtime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes files so that a reader (or a crash) sees either the old file or the complete new one: the data
 * goes to a temporary file in the same directory, is forced to disk, and is renamed over the target.
 *
 * <p>What is replaced, and what is refused (docs/security.md, "Writing files"):
 *
 * <ul>
 *   <li>a regular file is replaced; the new file keeps the old one's permissions;
 *   <li>a symbolic link is written <em>through</em>: the file it points to is replaced (the temporary file is
 *       made next to that file) and the link stays, as editors do; a link to a missing file is refused;
 *   <li>anything else at the target — a directory, FIFO, device or socket — is refused, because renaming over
 *       it would destroy something these tools did not create;
 *   <li>a new file gets the permissions the process's umask gives any new file.
 * </ul>
 *
 * <p>Temporary files are named {@code .<target>.<16 hex digits>.resnet-tmp}, so that one left by a killed
 * process is recognisable ({@link #isTemporary}) and can be removed by whoever owns the directory
 * ({@link #removeTemporaries}).
 */
public final class AtomicFiles {
    /** The suffix of every temporary file this class makes. */
    public static final String TEMPORARY_SUFFIX = ".resnet-tmp";

    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]{16}" + Pattern.quote(TEMPORARY_SUFFIX));
    // Keeps ".<name>.<16 hex>.resnet-tmp" under the usual 255-byte limit of a file name.
    private static final int MAX_NAME_IN_TEMPORARY = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Atomically replaces {@code target} (or, when it is a symbolic link, the file it points to) with what
     * {@code writer} produces.
     *
     * @throws IOException when the target is a directory, FIFO, device, socket or dangling link (nothing is
     *     written), or when writing fails (the old file is intact and the temporary file is removed)
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path destination = destination(target);
        Path dir = destination.getParent();
        Files.createDirectories(dir);
        Path tmp = createTemporary(dir, destination.getFileName().toString());
        try {
            keepPermissions(destination, tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, destination, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with UTF-8 {@code text}. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Whether {@code file}'s name is that of a temporary file made by this class. */
    public static boolean isTemporary(Path file) {
        Path name = file.getFileName();
        return name != null && TEMPORARY.matcher(name.toString()).matches();
    }

    /**
     * Deletes the temporary files this class left in {@code dir} (not in its subdirectories) — the leftovers of
     * processes killed while writing. Call it only while no other process can be writing into {@code dir} (the
     * owner of a lock on the directory), or a write in progress there fails.
     *
     * @return the names of the files removed
     */
    public static List<String> removeTemporaries(Path dir) throws IOException {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, AtomicFiles::isTemporary)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(entry)) {
                    removed.add(entry.getFileName().toString());
                }
            }
        }
        return removed;
    }

    /** The file to replace: the target itself, or the file a symbolic link points to; refuses anything else. */
    private static Path destination(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.isSymbolicLink(absolute)) {
            try {
                absolute = absolute.toRealPath();
            } catch (NoSuchFileException e) {
                throw new IOException(target + " is a symbolic link to a missing file; not writing through it");
            }
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(absolute, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return absolute;
        }
        if (attributes.isDirectory()) {
            throw new IOException(target + " is a directory; name the file to write");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(
                    target + " is not a regular file (a device, FIFO or socket); refusing to" + " replace it");
        }
        return absolute;
    }

    private static Path createTemporary(Path dir, String targetName) throws IOException {
        String name = targetName.length() > MAX_NAME_IN_TEMPORARY
                ? targetName.substring(0, MAX_NAME_IN_TEMPORARY)
                : targetName;
        while (true) {
            Path tmp = dir.resolve("." + name + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + TEMPORARY_SUFFIX);
            try {
                // No permission attributes: the file gets 0666 minus the umask, as any new file would.
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                        .close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // 64 random bits collided; draw again
            }
        }
    }

    /** A file that replaces another keeps its permissions (a model made group-readable stays so). */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix") || !Files.exists(target)) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable; not every file system lets a directory be opened, which is fine.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
