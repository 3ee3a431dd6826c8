import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * Makes the fine-tuning experiment's data from Fashion-MNIST (Debian's dataset-fashion-mnist, IDX files):
 * {@code OUT/pretrain} — IDX files with only classes 0-4 (T-shirt/top, Trouser, Pullover, Dress, Coat), for
 * pretraining; {@code OUT/finetune} — a class-per-folder set of classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle
 * boot) with PER_CLASS seeded training images per class and every test image of those classes, as PNG files.
 * Run with the JDK's single-file launcher: {@code java SplitFashion.java FASHION_DIR OUT PER_CLASS SEED}.
 */
public final class SplitFashion {
    private static final String[] NAMES = {
        "T-shirt-top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle-boot"
    };

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: java SplitFashion.java FASHION_DIR OUT PER_CLASS SEED");
            System.exit(1);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int perClass = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        for (String split : new String[] {"train", "t10k"}) {
            byte[] images = read(in.resolve(split + "-images-idx3-ubyte.gz"));
            byte[] labels = read(in.resolve(split + "-labels-idx1-ubyte.gz"));
            int n = ByteBuffer.wrap(labels, 4, 4).getInt();
            List<Integer> first = new ArrayList<>();
            List<List<Integer>> second = new ArrayList<>();
            for (int c = 0; c < 5; c++) {
                second.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                int label = labels[8 + i] & 0xFF;
                if (label < 5) {
                    first.add(i);
                } else {
                    second.get(label - 5).add(i);
                }
            }
            writeIdx(out.resolve("pretrain"), split, images, labels, first);
            String folder = split.equals("train") ? "train" : "test";
            Random random = new Random(seed);
            for (int c = 0; c < 5; c++) {
                List<Integer> chosen = new ArrayList<>(second.get(c));
                if (folder.equals("train")) {
                    java.util.Collections.shuffle(chosen, random);
                    chosen = new ArrayList<>(chosen.subList(0, perClass));
                    java.util.Collections.sort(chosen);
                }
                Path dir = Files.createDirectories(out.resolve("finetune").resolve(folder).resolve(NAMES[c + 5]));
                for (int i : chosen) {
                    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                    img.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(
                            images, 16 + i * 784, 16 + (i + 1) * 784));
                    ImageIO.write(img, "png", dir.resolve(String.format("%s-%05d.png", split, i)).toFile());
                }
            }
        }
        System.out.println("wrote " + out.resolve("pretrain") + " (classes 0-4, IDX) and " + out.resolve("finetune")
                + " (classes 5-9, " + perClass + " training images per class, PNG)");
    }

    private static byte[] read(Path file) throws IOException {
        try (InputStream s = new GZIPInputStream(Files.newInputStream(file))) {
            return s.readAllBytes();
        }
    }

    private static void writeIdx(Path dir, String split, byte[] images, byte[] labels, List<Integer> keep)
            throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        img.write(ByteBuffer.allocate(16).putInt(0x803).putInt(keep.size()).putInt(28).putInt(28).array());
        lab.write(ByteBuffer.allocate(8).putInt(0x801).putInt(keep.size()).array());
        for (int i : keep) {
            img.write(images, 16 + i * 784, 784);
            lab.write(labels[8 + i]);
        }
        gzip(dir.resolve(split + "-images-idx3-ubyte.gz"), img.toByteArray());
        gzip(dir.resolve(split + "-labels-idx1-ubyte.gz"), lab.toByteArray());
    }

    private static void gzip(Path file, byte[] data) throws IOException {
        try (OutputStream s = new GZIPOutputStream(Files.newOutputStream(file))) {
            s.write(data);
        }
    }
}
