package dev.resnetdsl.samples;

import dev.resnetdsl.api.Classifier;
import dev.resnetdsl.api.Training;
import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.samples.models.CifarResNet14;
import dev.resnetdsl.samples.models.CifarResNet8;
import dev.resnetdsl.training.bundle.Hyperparameters;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Uses the classes that resnet-maven-plugin generated from {@code src/main/resnet/cifar_nets.resnet}: builds
 * each network and prints a summary, then exports one to ONNX and runs it on a random image with ONNX Runtime.
 */
public final class SampleApp {
    private SampleApp() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        out.println(summary(CifarResNet8.network()));
        out.println(summary(CifarResNet14.network()));
        float[] logits = classifyRandomImage(CifarResNet8.network(), 1L);
        out.printf("CifarResNet8 on a random image through ONNX Runtime: %d logits, first %.4f%n", logits.length, logits[0]);
        Path work = Files.createTempDirectory("resnet-sample");
        for (Classifier.Prediction p : fineTuneAndClassify(work, colouredImage(0xD02020, 1))) {
            out.printf("fine-tuned CifarResNet8: %-6s %5.1f%%%n", p.label(), 100 * p.probability());
        }
    }

    /**
     * The journey in a few lines of Java: start from (here, freshly initialised) weights, keep the backbone, train
     * the classifier on a folder of photos, and classify an image with the result — its preprocessing and class
     * names travel with the bundle.
     */
    public static List<Classifier.Prediction> fineTuneAndClassify(Path work, BufferedImage image) throws IOException {
        Path pretrained = work.resolve("pretrained");
        CifarResNet8.writeTrainingBundle(pretrained, Hyperparameters.defaults());
        Path photos = colourFolder(work.resolve("photos"));

        Path bundle = work.resolve("bundle");
        CifarResNet8.fineTuning(pretrained.resolve("checkpoint.safetensors"))
                .withFreeze(List.of("backbone"))
                .writeBundle(bundle);
        Training.of(bundle, "folder:" + photos, 2)
                .withOptions(o -> o.withBatchSize(6))
                .withValidationSplit(0.25)
                .run();
        try (Classifier classifier = CifarResNet8.classifier(bundle)) {
            return classifier.classify(image, 3);
        }
    }

    /** Eight small images per colour class (red, green, blue), of assorted sizes, as a photo folder. */
    static Path colourFolder(Path root) throws IOException {
        String[] names = {"red", "green", "blue"};
        int[] colours = {0xD02020, 0x20D020, 0x2020D0};
        for (int c = 0; c < names.length; c++) {
            Path dir = Files.createDirectories(root.resolve(names[c]));
            for (int i = 0; i < 8; i++) {
                ImageIO.write(colouredImage(colours[c], 10L * c + i), "png", dir.resolve("img" + i + ".png").toFile());
            }
        }
        return root;
    }

    /** A noisy image of one colour, 30 to 49 pixels a side. */
    static BufferedImage colouredImage(int rgb, long seed) {
        Random random = new Random(seed);
        int w = 30 + random.nextInt(20);
        int h = 30 + random.nextInt(20);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int noise = random.nextInt(40);
                int r = Math.min(255, ((rgb >> 16) & 0xFF) + noise);
                int g = Math.min(255, ((rgb >> 8) & 0xFF) + noise);
                int b = Math.min(255, (rgb & 0xFF) + noise);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    /** One paragraph about a network: input, output, layers by kind, parameters. */
    public static String summary(Network network) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Layer layer : network.layers()) {
            kinds.merge(layer.getClass().getSimpleName(), 1, Integer::sum);
        }
        return String.format(
                "%s: input %s, %d classes, %d layers %s, %,d trainable parameters",
                network.name(),
                network.input().shapeString(),
                network.classes(),
                network.layers().size(),
                kinds,
                network.trainableParameterCount());
    }

    /** Initialises the network's weights, exports it to ONNX in memory and runs one random 32x32 image. */
    public static float[] classifyRandomImage(Network network, long seed) throws IOException {
        byte[] onnx = OnnxExporter.export(Weights.initial(network), ExportOptions.defaults()).toByteArray();
        int[] shape = {1, network.input().channels(), network.input().height(), network.input().width()};
        float[] pixels = new float[(int) Tensor.elementCount(shape)];
        Random random = new Random(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        try (Inference inference = Inference.open(onnx, Device.CPU)) {
            return inference.run(Tensor.ofFloats(shape, pixels)).floats();
        }
    }
}
