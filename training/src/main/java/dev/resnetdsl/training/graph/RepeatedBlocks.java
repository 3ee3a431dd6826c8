package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a network's layers into runs of identical blocks, so that the training graphs can write each run once,
 * as the body of a loop ({@link BlockLoop}), instead of once per block: the graph then grows with the number of
 * distinct blocks, not with depth.
 *
 * <p>Found from the structure alone, not from names: the layers are first cut into <em>segments</em> wherever
 * exactly one activation is alive (a residual block's convolutions up to its sum are one segment, because the
 * shortcut keeps the block's input alive until the sum; its last ReLU is another; in a plain network every layer
 * is one); then, from left to right, the longest stretch made of one unit of up to {@value #MAX_UNIT_SEGMENTS}
 * segments repeated back to back becomes a run. Two units are identical when their layers have the same kinds,
 * attributes and shapes and are wired the same way ({@link #signature}). In a CIFAR ResNet-1202 each stage is one
 * run of 199 or 200 units (ReLU, conv, BN, ReLU, conv, BN, sum); the stem, the first block of stages 2 and 3
 * (which change the shape) and the head are written layer by layer.
 */
final class RepeatedBlocks {
    /** Fewest blocks written as a loop. */
    static final int MIN_REPEATS = 2;
    /** Longest unit searched for, in segments (a plain network's conv, BN, ReLU is three). */
    static final int MAX_UNIT_SEGMENTS = 8;

    private RepeatedBlocks() {}

    /**
     * Layers {@code [from, from + blockLength·repeats)} of a network: {@code repeats} consecutive blocks of
     * {@code blockLength} layers each, identical up to names. A run with {@code repeats == 1} is written layer by
     * layer.
     *
     * @param input the activation the run starts from (the only one alive before it)
     */
    record Run(List<Layer> layers, Activation input, int from, int blockLength, int repeats) {
        /** The layers of block {@code i}. */
        List<Layer> block(int i) {
            return layers.subList(from + i * blockLength, from + (i + 1) * blockLength);
        }

        /** Every layer of the run, in execution order. */
        List<Layer> all() {
            return layers.subList(from, from + blockLength * repeats);
        }

        /** The input of block {@code i}. */
        Activation blockInput(int i) {
            return i == 0 ? input : layers.get(from + i * blockLength - 1).output();
        }

        /** The run's last output. */
        Activation output() {
            return layers.get(from + blockLength * repeats - 1).output();
        }

        /** Whether the run is written as a loop. */
        boolean isLoop() {
            return repeats >= MIN_REPEATS;
        }

        /** The first block on its own (written layer by layer) and the rest as a run. */
        List<Run> splitFirst() {
            return List.of(
                    new Run(layers, input, from, blockLength, 1),
                    new Run(layers, blockInput(1), from + blockLength, blockLength, repeats - 1));
        }

        /** Every block on its own. */
        List<Run> unrolled() {
            List<Run> out = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                out.add(new Run(layers, blockInput(i), from + i * blockLength, blockLength, 1));
            }
            return out;
        }
    }

    /** The runs of {@code net}, covering its layers in order; with loops off, every segment on its own. */
    static List<Run> plan(Network net, GraphOptions options) {
        List<Run> runs = plan(net);
        if (options.loops()) {
            return runs;
        }
        List<Run> unrolled = new ArrayList<>();
        runs.forEach(r -> unrolled.addAll(r.unrolled()));
        return unrolled;
    }

    /** The runs of {@code net}, covering its layers in order. */
    static List<Run> plan(Network net) {
        List<Layer> layers = net.layers();
        List<Integer> cuts = segmentStarts(net);
        int segments = cuts.size() - 1; // cuts.get(k) is where segment k starts; the last entry is layers.size()
        List<String> signatures = new ArrayList<>();
        for (int k = 0; k < segments; k++) {
            signatures.add(signature(layers, cuts.get(k), cuts.get(k + 1), input(net, layers, cuts.get(k))));
        }
        List<Run> runs = new ArrayList<>();
        int s = 0;
        while (s < segments) {
            int bestUnit = 1;
            int bestRepeats = 1;
            int bestLayers = cuts.get(s + 1) - cuts.get(s);
            for (int unit = 1; unit <= MAX_UNIT_SEGMENTS && s + 2 * unit <= segments; unit++) {
                int repeats = 1;
                while (s + (repeats + 1) * unit <= segments && sameUnit(signatures, s, s + repeats * unit, unit)) {
                    repeats++;
                }
                int covered = cuts.get(s + repeats * unit) - cuts.get(s);
                if (repeats >= MIN_REPEATS && covered > bestLayers) {
                    bestUnit = unit;
                    bestRepeats = repeats;
                    bestLayers = covered;
                }
            }
            int from = cuts.get(s);
            int blockLength = cuts.get(s + bestUnit) - from;
            runs.add(new Run(layers, input(net, layers, from), from, blockLength, bestRepeats));
            s += bestUnit * bestRepeats;
        }
        return runs;
    }

    private static boolean sameUnit(List<String> signatures, int a, int b, int unit) {
        for (int i = 0; i < unit; i++) {
            if (!signatures.get(a + i).equals(signatures.get(b + i))) {
                return false;
            }
        }
        return true;
    }

    private static Activation input(Network net, List<Layer> layers, int from) {
        return from == 0 ? net.input() : layers.get(from - 1).output();
    }

    /**
     * Indices where segments start, plus {@code layers.size()}: a segment ends after layer i when the only
     * activation still to be read after it is layer i's output.
     */
    private static List<Integer> segmentStarts(Network net) {
        List<Layer> layers = net.layers();
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Activation a : layers.get(i).inputs()) {
                lastUse.put(a.name(), i);
            }
        }
        List<Integer> starts = new ArrayList<>(List.of(0));
        // alive = activations written at or before i (the input counts as written before 0) and read after i
        int alive = lastUse.getOrDefault(net.input().name(), -1) >= 0 ? 1 : 0;
        Map<Integer, Integer> dyingAt = new HashMap<>();
        dyingAt.merge(lastUse.getOrDefault(net.input().name(), -1), 1, Integer::sum);
        for (int i = 0; i < layers.size(); i++) {
            int last = lastUse.getOrDefault(layers.get(i).output().name(), -1);
            if (last > i) {
                alive++;
                dyingAt.merge(last, 1, Integer::sum);
            }
            alive -= dyingAt.getOrDefault(i, 0);
            boolean outputAlive = last > i;
            if (i + 1 < layers.size() && alive == 1 && outputAlive) {
                starts.add(i + 1);
            }
        }
        starts.add(layers.size());
        return starts;
    }

    /**
     * The structure of layers {@code [from, to)} without names: per layer its kind and attributes, the shapes it
     * reads and writes, and where each input comes from (the segment's input, or the k-th layer of the segment).
     */
    static String signature(List<Layer> layers, int from, int to, Activation input) {
        Map<String, Integer> producer = new HashMap<>();
        producer.put(input.name(), -1);
        StringBuilder sig = new StringBuilder();
        for (int i = from; i < to; i++) {
            Layer layer = layers.get(i);
            sig.append(layer.accept(LayerSignature.INSTANCE)).append('(');
            for (Activation a : layer.inputs()) {
                Integer p = producer.get(a.name());
                if (p == null) {
                    return "outside:" + i; // reads something from before the segment's input: never repeated
                }
                sig.append(p).append(':').append(a.shapeString()).append(',');
            }
            sig.append(")->").append(layer.output().shapeString()).append(';');
            producer.put(layer.output().name(), i - from);
        }
        return sig.toString();
    }

    /** A layer's kind and attributes, without its names. */
    private static final class LayerSignature implements Layer.Visitor<String> {
        static final LayerSignature INSTANCE = new LayerSignature();

        @Override
        public String conv(Layer.Conv c) {
            return "conv" + c.kernel() + "/" + c.stride() + "p" + c.padding() + "g" + c.groups();
        }

        @Override
        public String batchNorm(Layer.BatchNorm b) {
            return "bn";
        }

        @Override
        public String relu(Layer.Relu r) {
            return "relu";
        }

        @Override
        public String maxPool(Layer.MaxPool m) {
            return "maxpool" + m.kernel() + "/" + m.stride() + "p" + m.padding();
        }

        @Override
        public String add(Layer.Add a) {
            return "add";
        }

        @Override
        public String zeroPadShortcut(Layer.ZeroPadShortcut z) {
            return "zeropad/" + z.stride();
        }

        @Override
        public String globalAvgPool(Layer.GlobalAvgPool p) {
            return "gap";
        }

        @Override
        public String fullyConnected(Layer.FullyConnected f) {
            return "fc";
        }
    }
}
