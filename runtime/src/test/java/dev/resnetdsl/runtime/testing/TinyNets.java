package dev.resnetdsl.runtime.testing;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Small networks that exercise every layer kind, and random weights with non-trivial BN statistics. */
public final class TinyNets {
    private TinyNets() {}

    /**
     * Stem (conv 3x3 + BN + ReLU + max-pool), an option-A block that halves the size and doubles the channels,
     * a grouped block with a projection shortcut, global average pooling and a classifier with 5 classes.
     */
    public static Network tiny() {
        NetworkBuilder b = NetworkBuilder.create("Tiny", 3, 12, 12);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 8, 3, 1, 1, 1)));
        x = b.maxPool(x, 3, 2, 1);
        // layer1.0: option A, stride 2, 8 -> 16 channels
        Activation y = b.relu(b.batchNorm("layer1.0.bn1", b.conv("layer1.0.conv1", x, 16, 3, 2, 1, 1)));
        y = b.batchNorm("layer1.0.bn2", b.conv("layer1.0.conv2", y, 16, 3, 1, 1, 1), true);
        Activation s = b.zeroPadShortcut("layer1.0", x, 16, 2);
        x = b.relu(b.add("layer1.0", y, s));
        // layer2.0: grouped 3x3, projection shortcut
        y = b.relu(b.batchNorm("layer2.0.bn1", b.conv("layer2.0.conv1", x, 8, 1, 1, 0, 1)));
        y = b.relu(b.batchNorm("layer2.0.bn2", b.conv("layer2.0.conv2", y, 8, 3, 1, 1, 2)));
        y = b.batchNorm("layer2.0.bn3", b.conv("layer2.0.conv3", y, 24, 1, 1, 0, 1), true);
        s = b.batchNorm("layer2.0.downsample.1", b.conv("layer2.0.downsample.0", x, 24, 1, 1, 0, 1));
        x = b.relu(b.add("layer2.0", y, s));
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 5));
    }

    /** Random weights: conv/fc N(0, 0.3²), γ in [0.5, 1.5], β and mean N(0, 0.1²), var in [0.5, 2]. */
    public static Weights randomWeights(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        net.parameters().values().forEach(p -> {
            float[] d = new float[(int) p.elements()];
            for (int i = 0; i < d.length; i++) {
                d[i] = switch (p.kind()) {
                    case BN_WEIGHT -> (float) (0.5 + r.nextDouble());
                    case BN_RUNNING_VAR -> (float) (0.5 + 1.5 * r.nextDouble());
                    case BN_BIAS, BN_RUNNING_MEAN -> (float) (0.1 * gaussian(r));
                    default -> (float) (0.3 * gaussian(r));
                };
            }
            w.put(p.name(), Tensor.ofFloats(p.shape(), d));
        });
        return Weights.of(net, w);
    }

    /** A random N×C×H×W input for {@code net}. */
    public static Tensor randomInput(Network net, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        var in = net.input();
        float[] d = new float[(int) (batch * in.elements())];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) gaussian(r);
        }
        return Tensor.ofFloats(new int[] {batch, in.channels(), in.height(), in.width()}, d);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A basic block with an option-A shortcut where the shape changes. */
    public static Activation basicBlock(NetworkBuilder b, String p, Activation x, int width, int stride) {
        Activation h = b.relu(b.batchNorm(p + ".bn1", b.conv(p + ".conv1", x, width, 3, stride, 1, 1)));
        h = b.batchNorm(p + ".bn2", b.conv(p + ".conv2", h, width, 3, 1, 1, 1), true);
        Activation shortcut = stride != 1 || x.channels() != width ? b.zeroPadShortcut(p, x, width, stride) : x;
        return b.relu(b.add(p, h, shortcut));
    }

    /** A bottleneck block, the stride on the 1×1 or the 3×3, with or without a projection shortcut. */
    public static Activation bottleneckBlock(
            NetworkBuilder b,
            String p,
            Activation x,
            int width,
            int out,
            int stride,
            boolean strideOn1x1,
            boolean project) {
        int s1 = strideOn1x1 ? stride : 1;
        int s3 = strideOn1x1 ? 1 : stride;
        Activation h = b.relu(b.batchNorm(p + ".bn1", b.conv(p + ".conv1", x, width, 1, s1, 0, 1)));
        h = b.relu(b.batchNorm(p + ".bn2", b.conv(p + ".conv2", h, width, 3, s3, 1, 1)));
        h = b.batchNorm(p + ".bn3", b.conv(p + ".conv3", h, out, 1, 1, 0, 1), true);
        Activation shortcut =
                project ? b.batchNorm(p + ".downsample.1", b.conv(p + ".downsample.0", x, out, 1, stride, 0, 1)) : x;
        return b.relu(b.add(p, h, shortcut));
    }
}
