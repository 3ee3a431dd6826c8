package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Calibration images from a folder (searched recursively, symbolic links not followed): the image files (PNG,
 * JPEG, BMP, GIF by extension) in path order, {@code count} of them chosen with a seed, each decoded and
 * transformed by the model's {@link Preprocessing} when its batch is needed — nothing is held between batches, so
 * a thousand 224×224 images cost one batch of memory. The images not chosen are the held-out set
 * ({@link #heldOut()}).
 */
public final class ImageFolderCalibration implements CalibrationData {
    /** Most files a folder may hold; listing more would take memory out of proportion to calibration. */
    public static final int MAX_FILES = 2_000_000;
    /** Images decoded per batch. */
    static final int BATCH = 16;

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path folder;
    private final Preprocessing preprocessing;
    private final List<Path> chosen;
    private final List<Path> heldOut;
    private final long seed;
    private final int total;

    private ImageFolderCalibration(
            Path folder, Preprocessing preprocessing, List<Path> chosen, List<Path> heldOut, long seed, int total) {
        this.folder = folder;
        this.preprocessing = preprocessing;
        this.chosen = chosen;
        this.heldOut = heldOut;
        this.seed = seed;
        this.total = total;
    }

    /**
     * {@code count} images of {@code folder}, chosen with {@code seed}.
     *
     * @throws IOException when the folder cannot be read or holds no images
     */
    public static ImageFolderCalibration sample(Path folder, Preprocessing preprocessing, int count, long seed)
            throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("calibration needs at least one image, asked for " + count);
        }
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a folder of images");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder, new FileVisitOption[0])) {
            Iterator<Path> it = walk.iterator();
            while (it.hasNext()) {
                Path p = it.next();
                if (Files.isRegularFile(p) && isImage(p)) {
                    if (files.size() == MAX_FILES) {
                        throw new IOException(folder + " holds more than " + MAX_FILES
                                + " images; point calibration at a smaller folder");
                    }
                    files.add(p);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (files.isEmpty()) {
            throw new IOException(folder + " holds no image files (.png, .jpg, .jpeg, .bmp, .gif)");
        }
        files.sort(null);
        int[] pick = SeededSample.choose(files.size(), count, seed);
        List<Path> chosen = new ArrayList<>();
        for (int i : pick) {
            chosen.add(files.get(i));
        }
        List<Path> rest = new ArrayList<>();
        for (int i : SeededSample.rest(files.size(), pick)) {
            rest.add(files.get(i));
        }
        return new ImageFolderCalibration(
                folder, preprocessing, List.copyOf(chosen), List.copyOf(rest), seed, files.size());
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** The chosen images, in path order. */
    public List<Path> chosen() {
        return chosen;
    }

    /** The images not chosen, in path order: not seen by calibration. */
    public List<Path> heldOut() {
        return heldOut;
    }

    @Override
    public Iterable<Tensor> batches() {
        return () -> batchesOf(chosen, preprocessing);
    }

    /**
     * {@code files} as preprocessed batches of up to {@value #BATCH}, decoded lazily; an unreadable file stops the
     * iteration with an {@link UncheckedIOException} naming it.
     */
    public static Iterator<Tensor> batchesOf(List<Path> files, Preprocessing preprocessing) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < files.size();
            }

            @Override
            public Tensor next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(BATCH, files.size() - next);
                int per = preprocessing.channels() * preprocessing.height() * preprocessing.width();
                float[] data = new float[n * per];
                for (int i = 0; i < n; i++) {
                    Path f = files.get(next + i);
                    try {
                        System.arraycopy(preprocessing.load(f).floats(), 0, data, i * per, per);
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                new IOException(f + ": cannot read the image: " + e.getMessage(), e));
                    }
                }
                next += n;
                return Tensor.ofFloats(
                        new int[] {n, preprocessing.channels(), preprocessing.height(), preprocessing.width()}, data);
            }
        };
    }

    @Override
    public String description() {
        return folder + " (" + chosen.size() + " of " + total + " images)";
    }

    @Override
    public OptionalLong seed() {
        return OptionalLong.of(seed);
    }
}
