package dev.resnetdsl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The image files under a list of paths, one at a time, in a stable order: a file named on the command line is
 * taken as it is; a folder is walked depth first with its entries sorted by name, keeping files whose extension
 * is an image format Java reads. Only one folder's listing is held at a time, so 100,000 images cost no more
 * memory than 100. Hidden entries and symbolic links inside folders are skipped (no cycles, no escapes).
 */
final class ImageWalk implements Iterator<Path> {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "wbmp");

    private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
    private Path next;

    ImageWalk(List<Path> roots) {
        stack.push(roots.iterator());
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Iterator<Path> top = stack.peek();
            if (!top.hasNext()) {
                stack.pop();
                continue;
            }
            Path p = top.next();
            boolean named = stack.size() == 1; // given on the command line
            if (Files.isDirectory(p, named ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS})) {
                stack.push(sortedEntries(p).iterator());
            } else if (named || isImage(p)) {
                next = p;
            }
        }
        return next != null;
    }

    @Override
    public Path next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Path p = next;
        next = null;
        return p;
    }

    private static boolean isImage(Path p) {
        if (Files.isSymbolicLink(p) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static List<Path> sortedEntries(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".") && !Files.isSymbolicLink(p)) {
                    entries.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
        entries.sort(null);
        return entries;
    }
}
