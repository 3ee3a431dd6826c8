package dev.resnetdsl.samples;

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
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

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
