package dev.resnetdsl.training.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.ReferenceForward;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.training.bundle.Hyperparameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of the training graph's gradients, for every layer kind on tiny networks: for
 * each parameter tensor, the derivative along the reported gradient and along two single coordinates
 * (the largest and a random one) must match central differences of the training-mode loss.
 */
class GradientCheckTest {
    private static final Hyperparameters NO_UPDATE = new Hyperparameters(0.1f, 0f, 0f, false);

    @Test
    void plainNetwork() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("Plain", 3, 8, 8);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 6, 3, 1, 1, 1)));
        x = b.relu(b.batchNorm("bn2", b.conv("conv2", x, 8, 3, 2, 1, 1)));
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 5)), 1);
    }

    @Test
    void groupedConvolutions() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("Grouped", 3, 8, 8);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 8, 3, 1, 1, 1)));
        x = b.relu(b.batchNorm("bn2", b.conv("conv2", x, 8, 3, 2, 1, 4)));
        x = b.relu(b.batchNorm("bn3", b.conv("conv3", x, 12, 1, 1, 0, 2)));
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 4)), 2);
    }

    @Test
    void bottleneckWithStrideOnTheFirst1x1AndProjectionShortcutB() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("BottleneckV1", 3, 9, 9);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 8, 3, 1, 1, 1)));
        x = TinyNets.bottleneckBlock(b, "layer1.0", x, 4, 16, 2, true, true);
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 5)), 3);
    }

    @Test
    void bottleneckWithStrideOnThe3x3AndProjectionOnEveryBlockC() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("BottleneckV15", 3, 8, 8);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 8, 3, 1, 1, 1)));
        x = TinyNets.bottleneckBlock(b, "layer1.0", x, 4, 16, 2, false, true);
        x = TinyNets.bottleneckBlock(b, "layer1.1", x, 4, 16, 1, false, true);
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 5)), 4);
    }

    @Test
    void basicBlocksWithOptionAShortcutOnOddSizes() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("OptionA", 3, 9, 9);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 4, 3, 1, 1, 1)));
        x = TinyNets.basicBlock(b, "layer1.0", x, 4, 1); // identity shortcut
        x = TinyNets.basicBlock(b, "layer2.0", x, 8, 2); // 9×9 → 5×5, 4 → 8 channels: subsample + zero channels
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 5)), 5);
    }

    @Test
    void repeatedBasicBlocksRunAsLoops() throws Exception {
        // Three identical blocks per stage: the step graph writes each stage's repeats once, as a loop (BlockLoop).
        Network net = dev.resnetdsl.runtime.testing.TorchvisionNets.cifarStyle("Loops", 3, 6, 6, 3, 4, 6);
        assertEquals(
                4,
                TrainingGraphs.trainStep(net, NO_UPDATE, Map.of()).getGraph().getNodeList().stream()
                        .filter(node -> node.getOpType().equals("Scan"))
                        .count(),
                "a forward and a backward loop per stage");
        check(net, 10);
    }

    @Test
    void repeatedBottlenecksWithProjectionsRunAsALoop() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("BottleneckLoop", 3, 7, 7);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 6, 3, 1, 1, 1)));
        for (int i = 0; i < 3; i++) {
            x = TinyNets.bottleneckBlock(b, "layer1." + i, x, 3, 8, 1, false, true);
        }
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 3)), 11);
    }

    @Test
    void maxPoolStems() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("ImageNetStem", 3, 19, 19);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 6, 7, 2, 3, 1)));
        x = b.maxPool(x, 3, 2, 1); // overlapping windows with padding: 10×10 → 5×5
        x = b.relu(b.batchNorm("bn2", b.conv("conv2", x, 8, 3, 1, 1, 1)));
        x = b.maxPool(x, 2, 2, 0); // 5×5 → 2×2, last row and column unused
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 4)), 6);
    }

    @Test
    void kernelStrideAndPaddingVarietyOnANonSquareInput() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("Variety", 3, 13, 11);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 6, 5, 2, 2, 1))); // 7×6
        x = b.relu(b.batchNorm("bn2", b.conv("conv2", x, 6, 2, 2, 0, 1))); // 3×3, even kernel
        x = b.relu(b.batchNorm("bn3", b.conv("conv3", x, 8, 1, 2, 0, 1))); // 1×1 stride 2: 2×2
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 3)), 7);
        NetworkBuilder d = NetworkBuilder.create("Variety2", 2, 11, 11);
        Activation y = d.relu(d.batchNorm("bn1", d.conv("conv1", d.input(), 5, 3, 3, 0, 1))); // 3×3, stride 3
        y = d.relu(d.batchNorm("bn2", d.conv("conv2", y, 6, 3, 1, 2, 1))); // padding 2 grows to 5×5
        check(d.build(d.fullyConnected("fc", d.globalAvgPool(y), 3)), 8);
    }

    @Test
    void largeImagesTakeThePerImageWeightGradient() throws Exception {
        // At ≥ 1024 output positions the weight gradient is computed image by image (BackwardPass): here with
        // stride 2 and padding (33×35 outputs), stride 1, a 1×1, and a smaller layer back on the other path.
        NetworkBuilder b = NetworkBuilder.create("LargeImages", 3, 66, 70);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 4, 3, 2, 1, 1))); // 33×35
        x = b.relu(b.batchNorm("bn2", b.conv("conv2", x, 4, 3, 1, 1, 1)));
        x = b.relu(b.batchNorm("bn3", b.conv("conv3", x, 5, 1, 1, 0, 1)));
        x = b.relu(b.batchNorm("bn4", b.conv("conv4", x, 6, 5, 2, 2, 1))); // 17×18
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 3)), 9);
    }

    /**
     * Compares the graph's gradients with central differences of {@link ReferenceForward}'s double-precision
     * loss: the derivative along the reported gradient, and along the largest and a random coordinate of
     * every parameter tensor. Also checks the graph's loss against the reference.
     */
    private static void check(Network net, long seed) throws Exception {
        Random rnd = new Random(seed);
        int n = 4;
        Tensor input = GraphRunner.randomInput(net, n, rnd);
        Tensor labels = GraphRunner.randomLabels(net, n, rnd);
        List<String> failures = new ArrayList<>();
        try (GraphRunner runner = new GraphRunner(net, NO_UPDATE)) {
            float[] p = runner.randomParams(rnd);
            float[] m = new float[p.length];
            float[] s = runner.randomStats(rnd);
            GraphRunner.Outputs base = runner.run(input, labels, 0f, p, m, s);
            double[] pd = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                pd[i] = p[i];
            }
            double refLoss =
                    ReferenceForward.trainingLoss(net, parameters(runner.params, pd), input.floats(), labels.longs());
            assertEquals(refLoss, base.loss(), 1e-5 * Math.abs(refLoss), "training-mode loss");
            for (FlatLayout.Entry e : runner.params.entries()) {
                int off = (int) e.offset();
                int len = (int) e.length();
                double norm = 0;
                double largest = 0;
                int argLargest = 0;
                for (int i = 0; i < len; i++) {
                    double g = base.grads()[off + i];
                    norm += g * g;
                    if (Math.abs(g) > largest) {
                        largest = Math.abs(g);
                        argLargest = i;
                    }
                }
                norm = Math.sqrt(norm);
                assertTrue(norm > 0, e.name() + " has an all-zero gradient");
                double[] direction = new double[len];
                for (int i = 0; i < len; i++) {
                    direction[i] = base.grads()[off + i] / norm;
                }
                double fd = centralDifference(net, runner.params, pd, input, labels, off, direction);
                if (Math.abs(fd - norm) > 1e-3 * norm + 1e-6) {
                    failures.add(String.format("%s: along-gradient derivative %.7g, |grad| %.7g", e.name(), fd, norm));
                }
                for (int i : new int[] {argLargest, rnd.nextInt(len)}) {
                    double[] unit = new double[len];
                    unit[i] = 1;
                    double fdi = centralDifference(net, runner.params, pd, input, labels, off, unit);
                    double g = base.grads()[off + i];
                    if (Math.abs(fdi - g) > 1e-3 * largest + 1e-6) {
                        failures.add(
                                String.format("%s[%d]: finite difference %.7g, gradient %.7g", e.name(), i, fdi, g));
                    }
                }
            }
            // lr 0: parameters come back unchanged; no momentum, no decay: the momentum output is the gradient.
            assertEquals(p.length, base.paramsOut().length);
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i], base.paramsOut()[i], 0f);
                assertEquals(base.grads()[i], base.momentumOut()[i], 0f);
            }
        }
        assertTrue(failures.isEmpty(), () -> net.name() + ":\n" + String.join("\n", failures));
    }

    private static double centralDifference(
            Network net, FlatLayout layout, double[] p, Tensor input, Tensor labels, int offset, double[] direction) {
        // Small enough that no ReLU or max-pool decision flips within ±eps (1e-5 already crossed one).
        double eps = 1e-6;
        double[] plus = p.clone();
        double[] minus = p.clone();
        for (int i = 0; i < direction.length; i++) {
            plus[offset + i] += eps * direction[i];
            minus[offset + i] -= eps * direction[i];
        }
        double lp = ReferenceForward.trainingLoss(net, parameters(layout, plus), input.floats(), labels.longs());
        double lm = ReferenceForward.trainingLoss(net, parameters(layout, minus), input.floats(), labels.longs());
        return (lp - lm) / (2 * eps);
    }

    /** The parameter named {@code name}, read from the flat vector {@code params} in {@code layout}. */
    private static Function<String, double[]> parameters(FlatLayout layout, double[] params) {
        return name -> {
            FlatLayout.Entry e = layout.entry(name);
            double[] out = new double[(int) e.length()];
            System.arraycopy(params, (int) e.offset(), out, 0, out.length);
            return out;
        };
    }
}
