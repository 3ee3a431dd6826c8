package dev.resnetdsl.training.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.ReferenceForward;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.graph.Freezing;
import dev.resnetdsl.training.graph.GraphRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frozen layers in the training graphs: no gradient, momentum or decay for them, BN on running statistics that
 * stay as they are, gradients of what trains still exact (checked against central differences of the
 * double-precision reference with the frozen BNs in evaluation mode), and no backward pass below the lowest
 * trainable layer.
 */
class FreezingTest {
    private static final Hyperparameters SGD = new Hyperparameters(0.1f, 0.9f, 1e-4f, false);

    @TempDir
    Path tmp;

    /** Stem, two basic blocks (the second downsampling, option A), classifier: 7x9 inputs. */
    private static Network net() {
        NetworkBuilder b = NetworkBuilder.create("Freeze", 2, 7, 9);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 3, 3, 1, 1, 1)));
        x = TinyNets.basicBlock(b, "layer1.0", x, 3, 1);
        x = TinyNets.basicBlock(b, "layer2.0", x, 5, 2);
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 4));
    }

    private static Freezing freeze(Network net, String... prefixes) {
        return Freezing.layers(
                net,
                layer -> {
                    for (String p : prefixes) {
                        if (layer.equals(p) || layer.startsWith(p + ".")) {
                            return true;
                        }
                    }
                    return false;
                },
                List.of(prefixes));
    }

    @Test
    void frozenBottomLayersStayPutAndTheRestTrainsExactly() throws Exception {
        checkStep(freeze(net(), "conv1", "bn1", "layer1"), 3);
    }

    @Test
    void aFrozenMiddleStillPassesTheGradientThroughItsBatchNormInEvaluationMode() throws Exception {
        checkStep(freeze(net(), "layer1"), 5);
    }

    private void checkStep(Freezing freezing, long seed) throws Exception {
        Network net = net();
        Weights w = TinyNets.randomWeights(net, seed);
        Path dir = tmp.resolve("b" + seed);
        TrainingBundle.write(dir, w, BundleOptions.of(SGD).withFreezing(freezing));
        Random rnd = new Random(seed);
        Tensor input = GraphRunner.randomInput(net, 4, rnd);
        Tensor labels = GraphRunner.randomLabels(net, 4, rnd);
        Map<String, Tensor> grads = new LinkedHashMap<>();
        Map<String, Tensor> after;
        try (TrainingBundle bundle = TrainingBundle.open(dir, Device.CPU)) {
            bundle.stepWithGradients(input, labels, 0.1f, grads);
            after = bundle.weights();
        }
        List<String> trainable = new ArrayList<>();
        net.parameters().values().forEach(p -> {
            if (p.kind().trainable() && !freezing.frozen(p.name())) {
                trainable.add(p.name());
            }
        });
        assertEquals(trainable, List.copyOf(grads.keySet()), "gradients for exactly the trainable parameters");
        assertEquals(net.parameters().keySet(), after.keySet(), "every parameter and statistic is in the state");

        Predicate<String> frozenBn = bn -> freezing.frozen(bn + ".weight");
        Function<String, double[]> at = name -> toDouble(w.get(name).floats());
        List<String> failures = new ArrayList<>();
        for (var p : net.parameters().values()) {
            float[] before = w.get(p.name()).floats();
            float[] now = after.get(p.name()).floats();
            if (freezing.frozen(p.name())) {
                assertArrayEquals(before, now, p.name() + " is frozen: unchanged, bit for bit");
                continue;
            }
            if (!p.kind().trainable()) {
                assertFalse(java.util.Arrays.equals(before, now), p.name() + " (a trained BN's statistic) moves");
                continue;
            }
            float[] g = grads.get(p.name()).floats();
            for (int i = 0; i < g.length; i++) {
                // PyTorch's SGD, first step: v = g + wd·w, w' = w − lr·v.
                float expected = before[i] - 0.1f * (g[i] + 1e-4f * before[i]);
                assertEquals(expected, now[i], 1e-6f * Math.max(1, Math.abs(expected)), p.name() + "[" + i + "]");
            }
            int largest = 0;
            for (int i = 1; i < g.length; i++) {
                largest = Math.abs(g[i]) > Math.abs(g[largest]) ? i : largest;
            }
            for (int i : new int[] {largest, rnd.nextInt(g.length)}) {
                double fd = centralDifference(net, at, p.name(), i, input, labels, frozenBn);
                if (Math.abs(fd - g[i]) > 1e-3 * Math.abs(g[largest]) + 1e-6) {
                    failures.add(String.format("%s[%d]: finite difference %.7g, gradient %.7g", p.name(), i, fd, g[i]));
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void headOnlyFineTuningHasNoBackwardPassThroughTheBackbone() throws IOException {
        Network net = net();
        Weights w = TinyNets.randomWeights(net, 1);
        TrainingBundle.write(tmp.resolve("full"), w, SGD);
        Freezing backbone = Freezing.layers(net, layer -> !layer.equals("fc"), List.of("backbone"));
        TrainingBundle.write(tmp.resolve("head"), w, BundleOptions.of(SGD).withFreezing(backbone));
        int full =
                OnnxFiles.read(tmp.resolve("full/train_step.onnx")).getGraph().getNodeCount();
        int head =
                OnnxFiles.read(tmp.resolve("head/train_step.onnx")).getGraph().getNodeCount();
        long convs = OnnxFiles.read(tmp.resolve("head/train_step.onnx")).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv") || n.getOpType().equals("ConvTranspose"))
                .count();
        assertEquals(net.layers(dev.resnetdsl.runtime.net.Layer.Conv.class).size(), convs, "forward convs only");
        assertTrue(head < full / 2, "head-only step graph " + head + " nodes, full " + full);
        try (TrainingBundle bundle = TrainingBundle.open(tmp.resolve("head"), Device.CPU)) {
            assertEquals(List.of("backbone"), bundle.manifest().freeze());
            assertEquals(
                    Set.of("fc.weight", "fc.bias"),
                    Set.copyOf(bundle.manifest().parameterLayout().entries().stream()
                            .map(e -> e.name())
                            .toList()));
        }
    }

    @Test
    void freezingNothingOrEverythingIsRefused() {
        Network net = net();
        var e = assertThrows(IllegalArgumentException.class, () -> Freezing.layers(net, l -> false, List.of("x")));
        assertTrue(e.getMessage().contains("selects no parameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Freezing.layers(net, l -> true, List.of("all")));
        assertTrue(e.getMessage().contains("leaves nothing"), e.getMessage());
    }

    private static double centralDifference(
            Network net,
            Function<String, double[]> base,
            String name,
            int index,
            Tensor input,
            Tensor labels,
            Predicate<String> frozenBn) {
        double eps = 1e-6;
        Function<String, double[]> plus = shifted(base, name, index, eps);
        Function<String, double[]> minus = shifted(base, name, index, -eps);
        double lp = ReferenceForward.trainingLoss(net, plus, input.floats(), labels.longs(), frozenBn);
        double lm = ReferenceForward.trainingLoss(net, minus, input.floats(), labels.longs(), frozenBn);
        return (lp - lm) / (2 * eps);
    }

    private static Function<String, double[]> shifted(
            Function<String, double[]> base, String name, int index, double by) {
        return n -> {
            double[] v = base.apply(n);
            if (n.equals(name)) {
                v[index] += by;
            }
            return v;
        };
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
