package dev.resnetdsl.training.data;

import dev.resnetdsl.runtime.preprocess.ImageFiles;
import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads images stored one class per folder: {@code ROOT/train/<class>/*} and {@code ROOT/test/<class>/*}, or —
 * with a validation split — {@code ROOT/train/<class>/*} or {@code ROOT/<class>/*} alone (any format
 * {@code javax.imageio} reads: PNG, JPEG, BMP, GIF). Classes are the folder names in sorted order; files are
 * taken in sorted order; hidden entries are skipped.
 *
 * <p>Images may have any size. Each goes through {@link Preprocessing}'s colour conversion, resize and crop — the
 * code deployment runs — once, when it is read: test images to the model's input size; training images, when the
 * resize takes the shorter side (photos), to the shorter side's square for random resized crops during training
 * (see {@link TrainTestData}). When every training image already has the input size and the model records no
 * resize, nothing is resized at all.
 */
public final class ImageFolder {
    private ImageFolder() {}

    /** Reads {@code root/train} and {@code root/test} as {@code channels×height×width} images, resized exactly. */
    public static TrainTestData readFolder(Path root, int channels, int height, int width) throws IOException {
        return read(root, DataRequest.of(channels, height, width, 0).withResize(Preprocessing.Resize.exact()));
    }

    /** Reads a class-per-folder data set for a model as {@code request} says. */
    public static TrainTestData read(Path root, DataRequest request) throws IOException {
        DataFiles.requireDirectory(root, "image");
        Preprocessing.ColorMode color = colorFor(request.channels());
        Path trainDir = Files.isDirectory(root.resolve("train")) ? root.resolve("train") : root;
        Path testDir = root.resolve("test");
        Listing train = list(trainDir);
        Listing test;
        if (request.validationSplit() > 0) {
            if (Files.isDirectory(testDir)) {
                throw new IllegalArgumentException(
                        root + " has a test folder; a validation split is only for data" + " without one");
            }
            Listing[] split = train.split(request.validationSplit(), request.seed());
            train = split[0];
            test = split[1];
        } else {
            if (!Files.isDirectory(testDir)) {
                throw new IOException(root + " has no test folder (" + testDir + "); add one, or hold out part of the"
                        + " training images as a validation split");
            }
            test = list(testDir);
        }
        if (!train.names.equals(test.names)) {
            throw new IllegalArgumentException(
                    "training classes " + train.names + " differ from test classes " + test.names + " in " + root);
        }
        Preprocessing.Resize resize = request.resize();
        if (resize == null) {
            resize = allHaveSize(train.files, request.width(), request.height())
                    ? Preprocessing.Resize.exact()
                    : request.photoResize();
        }
        Preprocessing eval =
                new Preprocessing(resize, request.height(), request.width(), color, Normalization.none(), List.of());
        boolean crops = resize.mode() == Preprocessing.Resize.Mode.SHORTER_SIDE;
        Preprocessing storage = crops
                ? new Preprocessing(
                        resize, resize.shorterSide(), resize.shorterSide(), color, Normalization.none(), List.of())
                : eval;
        String what = "folder:" + root;
        ImageDataset trainSet = decode(train, storage, what + " train");
        ImageDataset testSet = decode(test, eval, what + (request.validationSplit() > 0 ? " validation" : " test"));
        return new TrainTestData(trainSet, testSet, resize, crops);
    }

    /** Reads one class-per-folder tree whose images have the model's size (colour converted only). */
    public static ImageDataset read(Path dir, int channels, int height, int width, String description)
            throws IOException {
        Preprocessing exact = new Preprocessing(
                Preprocessing.Resize.exact(), height, width, colorFor(channels), Normalization.none(), List.of());
        return decode(list(dir), exact, description);
    }

    private static Preprocessing.ColorMode colorFor(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    "image folders give 1 (grey) or 3 (RGB) channels, the model wants " + channels);
        }
        return Preprocessing.ColorMode.forChannels(channels);
    }

    /** The files of a class-per-folder tree with their labels. */
    private record Listing(List<String> names, List<Path> files, List<Integer> labels) {
        /** Each class's files shuffled with the seed; the last {@code fraction} of each (at least one) held out. */
        Listing[] split(double fraction, long seed) {
            List<Path> keepFiles = new ArrayList<>();
            List<Integer> keepLabels = new ArrayList<>();
            List<Path> outFiles = new ArrayList<>();
            List<Integer> outLabels = new ArrayList<>();
            for (int c = 0; c < names.size(); c++) {
                List<Path> ofClass = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    if (labels.get(i) == c) {
                        ofClass.add(files.get(i));
                    }
                }
                SplitMix64 random = new SplitMix64(SplitMix64.mix(seed, c));
                for (int i = ofClass.size() - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    Path t = ofClass.get(i);
                    ofClass.set(i, ofClass.get(j));
                    ofClass.set(j, t);
                }
                int held = Math.max(1, (int) Math.round(ofClass.size() * fraction));
                if (held >= ofClass.size()) {
                    throw new IllegalArgumentException("class " + names.get(c) + " has " + ofClass.size()
                            + " images, too few to hold out a validation part and still train on it");
                }
                List<Path> kept = new ArrayList<>(ofClass.subList(0, ofClass.size() - held));
                List<Path> out = new ArrayList<>(ofClass.subList(ofClass.size() - held, ofClass.size()));
                kept.sort(null);
                out.sort(null);
                kept.forEach(f -> keepFiles.add(f));
                out.forEach(f -> outFiles.add(f));
                for (int i = 0; i < kept.size(); i++) {
                    keepLabels.add(c);
                }
                for (int i = 0; i < out.size(); i++) {
                    outLabels.add(c);
                }
            }
            return new Listing[] {new Listing(names, keepFiles, keepLabels), new Listing(names, outFiles, outLabels)};
        }
    }

    private static Listing list(Path dir) throws IOException {
        DataFiles.requireDirectory(dir, "image");
        List<Path> classDirs = sorted(dir, true).stream()
                .filter(d -> !d.getFileName().toString().equals("test"))
                .toList();
        if (classDirs.isEmpty()) {
            throw new IOException(dir + " has no class folders (expected " + dir + "/<class>/<image files>)");
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            names.add(classDirs.get(c).getFileName().toString());
            for (Path f : sorted(classDirs.get(c), false)) {
                files.add(f);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new IOException(dir + " has class folders but no image files");
        }
        return new Listing(names, files, labels);
    }

    private static boolean allHaveSize(List<Path> files, int width, int height) throws IOException {
        for (Path f : files) {
            int[] wh = ImageFiles.dimensions(f);
            if (wh[0] != width || wh[1] != height) {
                return false;
            }
        }
        return true;
    }

    private static ImageDataset decode(Listing listing, Preprocessing p, String description) throws IOException {
        int imageSize = p.channels() * p.height() * p.width();
        long total = (long) listing.files.size() * imageSize;
        if (total > DataFiles.MAX_FILE_BYTES) {
            throw new IOException(description + ": " + listing.files.size() + " images of " + p.channels() + "x"
                    + p.height() + "x" + p.width() + " are " + DataFiles.bytes(total) + " bytes, more than the "
                    + DataFiles.bytes(DataFiles.MAX_FILE_BYTES) + " one data set may hold");
        }
        dev.resnetdsl.runtime.io.MemoryBudget.require(
                total,
                String.format(java.util.Locale.ROOT, "reading %,d images (%s)", listing.files.size(), description));
        byte[] pixels = new byte[(int) total];
        int[] labelArray = new int[listing.files.size()];
        List<String> sources = new ArrayList<>(listing.files.size());
        for (int i = 0; i < listing.files.size(); i++) {
            Path file = listing.files.get(i);
            BufferedImage image = ImageFiles.read(file);
            if (p.resize().mode() == Preprocessing.Resize.Mode.EXACT
                    && (image.getWidth() != p.width() || image.getHeight() != p.height())) {
                throw new IOException(file + ": image is " + image.getWidth() + "x" + image.getHeight()
                        + " pixels, the model expects " + p.width() + "x" + p.height()
                        + " (width x height) and records an exact resize; resize the data set");
            }
            System.arraycopy(p.pixels(image), 0, pixels, i * imageSize, imageSize);
            labelArray[i] = listing.labels.get(i);
            sources.add(file.toString());
        }
        return new ImageDataset(
                description, p.channels(), p.height(), p.width(), pixels, labelArray, listing.names, sources);
    }

    private static List<Path> sorted(Path dir, boolean directories) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> directories ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }
}
