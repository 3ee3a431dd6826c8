package dev.resnetdsl.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small models and images for the Spark tests, made in a temporary folder. */
final class TestModels {
    /** A small residual network for 3×32×32 images and five classes. */
    static final String SPEC = "model Small {\n  input 3x32x32\n  classes 5\n  stem {\n    conv 3x3 8\n  }\n"
            + "  block basic\n  shortcut A\n  stage conv2_x 8 x1\n  stage conv3_x 16 x1 /2\n}\n";

    static final List<String> CLASSES = List.of("apple", "bee", "cloud", "dune", "elm");

    private TestModels() {}

    static Network network(Path dir, String spec) throws IOException {
        Compilation c = SpecCompiler.compile("model.resnet", spec, dir);
        assertFalse(c.hasErrors(), c.formatDiagnostics());
        return SpecNetworks.build(c.models().get(0));
    }

    /**
     * Exports the small classifier with its preprocessing and class names recorded: shorter side to 36 and a centre
     * crop (so images of any size go through the resize), per-channel normalisation. The classifier's weights are
     * scaled up so that the classes' probabilities lie well apart (a fresh network's are nearly uniform).
     */
    static Path classifier(Path dir, long seed) throws IOException {
        Network net = network(dir, SPEC);
        Map<String, Tensor> tensors = new LinkedHashMap<>(Weights.initial(net).asMap());
        Random r = new Random(seed);
        Tensor fc = tensors.get("fc.weight");
        float[] w = fc.floats().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] = w[i] * 20 + (float) r.nextGaussian();
        }
        tensors.put("fc.weight", Tensor.ofFloats(fc.shape(), w));
        Preprocessing p = new Preprocessing(
                Preprocessing.Resize.shorterSide(36),
                32,
                32,
                Preprocessing.ColorMode.RGB,
                Normalization.perChannel(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.25f, 0.25f, 0.3f}),
                CLASSES);
        Path file = dir.resolve("small-" + seed + ".onnx");
        OnnxExporter.write(Weights.of(net, tensors), ExportOptions.defaults().withPreprocessing(p), file);
        return file;
    }

    /**
     * Writes {@code n} PNG and JPEG images of assorted sizes (some grey), plus {@code broken.png} (not an image) and
     * {@code truncated.jpg} (the first bytes of a JPEG), into {@code dir}. (Spark's file sources skip empty files.)
     */
    static Path images(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            int w = 30 + r.nextInt(40);
            int h = 30 + r.nextInt(40);
            boolean grey = i % 5 == 4;
            BufferedImage img =
                    new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            int base = r.nextInt(1 << 24);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = base + x * 7 + y * 1031 + r.nextInt(20) * 65793;
                    img.setRGB(x, y, v & 0xffffff);
                }
            }
            String format = i % 3 == 2 ? "jpg" : "png";
            ImageIO.write(
                    img,
                    format,
                    dir.resolve(String.format("img-%03d.%s", i, format)).toFile());
        }
        byte[] junk = new byte[300];
        r.nextBytes(junk);
        Files.write(dir.resolve("broken.png"), junk);
        byte[] jpeg = Files.readAllBytes(dir.resolve("img-002.jpg"));
        Files.write(dir.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, 40));
        return dir;
    }
}
