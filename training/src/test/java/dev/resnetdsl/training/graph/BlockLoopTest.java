package dev.resnetdsl.training.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.testing.TorchvisionNets;
import dev.resnetdsl.training.bundle.Hyperparameters;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Runs of identical blocks written as loops ({@link BlockLoop}) compute what the same blocks written one by one
 * compute: every output of the step graph (loss, gradients, updated parameters, momentum and running statistics)
 * and of the evaluation graph, on networks whose loops carry different things (the block's output for a ReLU mask,
 * BN's saved values, projection shortcuts, plain conv-BN-ReLU units), with and without frozen layers.
 */
class BlockLoopTest {
    private static final Hyperparameters SGD = new Hyperparameters(0.1f, 0.9f, 1e-4f, true);
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void basicBlocksWithOptionAShortcuts() throws Exception {
        // 4 blocks per stage: stage 1 is one loop of 4, stages 2 and 3 a downsampling block and a loop of 3
        check(TorchvisionNets.cifarStyle("Cifar26", 3, 8, 8, 4, 4, 6, 8), Freezing.none(), 3, 1);
    }

    @Test
    void plainConvBnReluUnits() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("Plain", 2, 6, 6);
        Activation x = b.input();
        for (int i = 0; i < 5; i++) {
            x = b.relu(b.batchNorm("bn" + i, b.conv("conv" + i, x, 5, 3, 1, 1, 1)));
        }
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 3)), Freezing.none(), 1, 2);
    }

    @Test
    void bottlenecksWithAProjectionOnEveryBlockAndAMaxPoolStem() throws Exception {
        NetworkBuilder b = NetworkBuilder.create("BottleneckC", 3, 12, 12);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 8, 3, 1, 1, 1)));
        x = b.maxPool(x, 3, 2, 1);
        for (int i = 0; i < 3; i++) {
            x = TinyNets.bottleneckBlock(b, "layer1." + i, x, 4, 16, 1, false, true);
        }
        check(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 5)), Freezing.none(), 1, 3);
    }

    @Test
    void aFrozenStemLeavesTheFirstBlockOutOfTheLoop() throws Exception {
        Network net = TorchvisionNets.cifarStyle("Cifar14", 2, 6, 6, 3, 4, 6);
        // Nothing below layer1.0 trains: its input needs no gradient, so the loop starts at layer1.1.
        check(net, freeze(net, "conv1", "bn1"), 2, 4);
    }

    @Test
    void aFrozenBlockInsideARunUnrollsIt() throws Exception {
        Network net = TorchvisionNets.cifarStyle("Cifar14", 2, 6, 6, 3, 4, 6);
        // Stage 1 holds a frozen block (written one by one); stage 2's loop of two is unaffected.
        check(net, freeze(net, "layer1.1"), 1, 5);
    }

    private static Freezing freeze(Network net, String... layers) {
        return Freezing.layers(
                net,
                layer -> {
                    for (String p : layers) {
                        if (layer.equals(p) || layer.startsWith(p + ".")) {
                            return true;
                        }
                    }
                    return false;
                },
                List.of(layers));
    }

    /**
     * Writes the step and evaluation graphs with and without loops, checks that the looped ones hold
     * {@code expectedLoops} loops, runs both on the same random batch and state, and compares every output.
     */
    private static void check(Network net, Freezing freezing, int expectedLoops, long seed) throws Exception {
        Onnx.ModelProto loopStep = TrainingGraphs.trainStep(net, SGD, freezing, GraphOptions.defaults(), Map.of());
        Onnx.ModelProto flatStep = TrainingGraphs.trainStep(
                net, SGD, freezing, GraphOptions.defaults().withLoops(false), Map.of());
        assertEquals(2 * expectedLoops, scans(loopStep), "Scan nodes of the looped step graph");
        assertEquals(0, scans(flatStep), "Scan nodes of the unrolled step graph");
        Onnx.ModelProto loopEval = TrainingGraphs.eval(net, freezing, GraphOptions.defaults(), Map.of());
        Onnx.ModelProto flatEval =
                TrainingGraphs.eval(net, freezing, GraphOptions.defaults().withLoops(false), Map.of());
        assertTrue(scans(loopEval) >= expectedLoops, "the evaluation graph loops too");

        Random rnd = new Random(seed);
        int n = 3;
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(TrainingGraphs.INPUT, GraphRunner.randomInput(net, n, rnd));
        inputs.put(TrainingGraphs.LABELS, GraphRunner.randomLabels(net, n, rnd));
        inputs.put(TrainingGraphs.PARAMS, random(FlatLayout.trainable(net, freezing), rnd));
        inputs.put(TrainingGraphs.STATS, random(FlatLayout.statistics(net, freezing), rnd));
        inputs.put(TrainingGraphs.FROZEN, random(FlatLayout.frozen(net, freezing), rnd));
        Map<String, Object> evalInputs = new LinkedHashMap<>(inputs);
        inputs.put(TrainingGraphs.MOMENTUM, random(FlatLayout.trainable(net, freezing), rnd));
        inputs.put(TrainingGraphs.LR, Tensor.scalar(0.05f));

        List<String> failures = new ArrayList<>();
        compare(run(flatStep, inputs), run(loopStep, inputs), failures);
        compare(run(flatEval, evalInputs), run(loopEval, evalInputs), failures);
        assertTrue(failures.isEmpty(), () -> net.name() + ":\n" + String.join("\n", failures));
    }

    private static int scans(Onnx.ModelProto model) {
        return (int) model.getGraph().getNodeList().stream()
                .filter(node -> node.getOpType().equals("Scan"))
                .count();
    }

    /** Each output agrees to 1e-5 of its largest magnitude (the loops run the same operators, so float rounding). */
    private static void compare(Map<String, float[]> expected, Map<String, float[]> actual, List<String> failures) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> {
            float[] a = actual.get(name);
            double largest = 0;
            for (float v : e) {
                largest = Math.max(largest, Math.abs(v));
            }
            for (int i = 0; i < e.length; i++) {
                if (!(Math.abs(e[i] - a[i]) <= 1e-5 * largest + 1e-7)) {
                    failures.add(name + "[" + i + "]: unrolled " + e[i] + ", looped " + a[i]);
                    return;
                }
            }
        });
    }

    private static Tensor random(FlatLayout layout, Random rnd) {
        float[] v = new float[layout.size()];
        for (FlatLayout.Entry e : layout.entries()) {
            boolean variance = e.name().endsWith("running_var");
            int[] shape = e.shape();
            double scale = shape.length == 4 ? Math.sqrt(2.0 / (shape[1] * shape[2] * shape[3])) : 0.3;
            for (int i = 0; i < e.length(); i++) {
                v[(int) e.offset() + i] = variance
                        ? 0.5f + rnd.nextFloat()
                        : (float) (rnd.nextGaussian() * scale
                                + (e.name().endsWith(".weight") && shape.length == 1 ? 1 : 0));
            }
        }
        return Tensor.ofFloats(new int[] {v.length}, v);
    }

    /** Every output of {@code model} for the inputs it declares (others in {@code values} are ignored). */
    private static Map<String, float[]> run(Onnx.ModelProto model, Map<String, Object> values) throws Exception {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = ENV.createSession(model.toByteArray(), options)) {
                for (String name : session.getInputNames()) {
                    Tensor t = (Tensor) values.get(name);
                    long[] shape = new long[t.rank()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = t.dim(i);
                    }
                    feed.put(
                            name,
                            t.dtype() == dev.resnetdsl.runtime.tensor.DType.I64
                                    ? OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.longs()), shape)
                                    : OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.floats()), shape));
                }
                Map<String, float[]> out = new LinkedHashMap<>();
                try (OrtSession.Result r = session.run(feed)) {
                    for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                        OnnxTensor t = (OnnxTensor) e.getValue();
                        if (t.getInfo().type == ai.onnxruntime.OnnxJavaType.INT64) {
                            long[] l = new long[(int) t.getInfo().getNumElements()];
                            t.getLongBuffer().get(l);
                            float[] f = new float[l.length];
                            for (int i = 0; i < l.length; i++) {
                                f[i] = l[i];
                            }
                            out.put(e.getKey(), f);
                        } else {
                            FloatBuffer b = t.getFloatBuffer();
                            float[] f = new float[b.remaining()];
                            b.get(f);
                            out.put(e.getKey(), f);
                        }
                    }
                }
                return out;
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
        }
    }
}
