package dev.resnetdsl.runtime.weights;

import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.Parameter;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.TensorProtos;
import dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports the weights of a foreign ONNX ResNet into a {@link Network}'s parameters.
 *
 * <p><b>By name</b>, when the file's initializers carry every one of the network's (torchvision) parameter
 * names, as {@code torch.onnx.export} of a torchvision model with BN kept does. Every shape is checked.
 *
 * <p><b>By structure</b> otherwise (exports with BN folded into biased convolutions and anonymous names such
 * as {@code onnx::Conv_193}): the Conv and Gemm nodes of the file and the Conv and FullyConnected layers of
 * the network are each put in a canonical order — by the number of weighted layers on the longest path from
 * the input, then by the number on the longest path to the output, larger first (so a block's first conv
 * precedes its projection shortcut) — which does not depend on how either side happened to order its nodes;
 * then they are paired in that order and every shape is checked. A file conv with a bias stands for our
 * conv + BN, imported as conv weight = the file's weight, BN γ = 1, β = the file's bias, running mean = 0 and
 * running variance = 1 − ε, so that γ/√(var + ε) = 1 and the imported network computes exactly the file's
 * function. A file conv followed by a BatchNormalization node gives that node's parameters (its ε folded into
 * the variance when it differs from ours).
 *
 * <p>Every mismatch names our parameter and its expected shape, and the file's tensor and its shape.
 */
public final class OnnxWeightImporter {
    private static final double EPS = Layer.BatchNorm.EPSILON;

    private OnnxWeightImporter() {}

    /** Reads {@code file} and imports its weights into {@code network}'s parameter names. */
    static Map<String, Tensor> load(Network network, Path file) throws IOException {
        ModelProto model = OnnxFiles.read(file);
        try {
            return importAll(network, model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code file} for a partial load: by name, every initializer named like one of the network's
     * parameters, whatever its shape; without torchvision names, by structure as {@link #importWeights}.
     */
    static Map<String, Tensor> loadMatching(Network network, Path file) throws IOException {
        ModelProto model = OnnxFiles.read(file);
        try {
            Map<String, TensorProto> initializers = initializers(model.getGraph());
            if (!network.parameters().keySet().stream().anyMatch(initializers::containsKey)) {
                return importAll(network, model);
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            for (Map.Entry<String, TensorProto> e : initializers.entrySet()) {
                if (network.parameters().containsKey(e.getKey())) {
                    result.put(e.getKey(), TensorProtos.fromProto(e.getValue()));
                }
            }
            return result;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Imports the weights of {@code model} into {@code network}'s parameter names. */
    public static Weights importWeights(Network network, ModelProto model) {
        return Weights.of(network, importAll(network, model));
    }

    private static Map<String, Tensor> importAll(Network network, ModelProto model) {
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> initializers = initializers(graph);
        boolean allNamed = network.parameters().keySet().stream().allMatch(initializers::containsKey);
        return allNamed ? byName(network, initializers) : byStructure(network, graph, initializers);
    }

    /** Initializers by name, plus weights held in Constant nodes and shared through Identity nodes. */
    private static Map<String, TensorProto> initializers(GraphProto graph) {
        Map<String, TensorProto> initializers = new LinkedHashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (NodeProto n : graph.getNodeList()) {
            // Some exporters hold weights in Constant nodes rather than initializers.
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("value") && a.hasT()) {
                        initializers.putIfAbsent(
                                n.getOutput(0),
                                a.getT().toBuilder().setName(n.getOutput(0)).build());
                    }
                }
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            // torch.onnx.export shares equal initializers (e.g. the zero biases of folded BNs) through Identity nodes.
            if (n.getOpType().equals("Identity")
                    && n.getInputCount() == 1
                    && n.getOutputCount() == 1
                    && initializers.containsKey(n.getInput(0))) {
                initializers.putIfAbsent(
                        n.getOutput(0),
                        initializers.get(n.getInput(0)).toBuilder()
                                .setName(n.getOutput(0))
                                .build());
            }
        }
        return initializers;
    }

    private static Map<String, Tensor> byName(Network network, Map<String, TensorProto> initializers) {
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Parameter p : network.parameters().values()) {
            Tensor t = TensorProtos.fromProto(initializers.get(p.name()));
            checkShape(p, t, p.name());
            result.put(p.name(), t);
        }
        return result;
    }

    /** A weighted layer (Conv/Gemm or Conv/FullyConnected) and its canonical position. */
    private record Weighted<T>(T layer, int depth, int height) {}

    private static Map<String, Tensor> byStructure(
            Network network, GraphProto graph, Map<String, TensorProto> initializers) {
        List<Weighted<Layer>> ours = ourWeightedLayers(network);
        List<Weighted<NodeProto>> theirs = fileWeightedNodes(graph);
        if (ours.size() != theirs.size()) {
            throw new IllegalArgumentException("the file has " + theirs.size() + " Conv/Gemm nodes, " + network.name()
                    + " has " + ours.size() + " conv and fully connected layers; is it the same architecture?");
        }
        Map<String, List<NodeProto>> consumers = consumers(graph);
        Map<String, Layer.BatchNorm> bnAfter = batchNormAfterConv(network);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (int i = 0; i < ours.size(); i++) {
            Weighted<Layer> our = ours.get(i);
            Weighted<NodeProto> their = theirs.get(i);
            NodeProto node = their.layer();
            String where = node.getOpType() + " node " + describeNode(node);
            if (our.depth() != their.depth() || our.height() != their.height()) {
                throw new IllegalArgumentException("the graphs differ in structure at "
                        + ourName(our.layer()) + " (" + our.depth() + " weighted layers before it, " + our.height()
                        + " after) and the file's " + where + " (" + their.depth() + " before, " + their.height()
                        + " after)");
            }
            our.layer().accept(new StructureImport(network, initializers, consumers, bnAfter, result, node, where));
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Parameter p : network.parameters().values()) {
            Tensor t = result.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("nothing in the file corresponds to " + p.name());
            }
            ordered.put(p.name(), t);
        }
        return ordered;
    }

    private static void importBatchNorm(
            Network network,
            Layer.BatchNorm bn,
            NodeProto fileBn,
            Map<String, TensorProto> initializers,
            Map<String, Tensor> result) {
        String where = "BatchNormalization node " + describeNode(fileBn);
        if (fileBn.getInputCount() != 5) {
            throw new IllegalArgumentException("the file's " + where + " does not have 5 inputs");
        }
        String[] ours = {bn.weight(), bn.bias(), bn.runningMean(), bn.runningVar()};
        for (int k = 0; k < 4; k++) {
            Tensor t = weight(initializers, fileBn, k + 1, where);
            checkShape(network.parameters().get(ours[k]), t, fileBn.getInput(k + 1));
            result.put(ours[k], t);
        }
        double eps = floatAttr(fileBn, "epsilon", (float) EPS);
        if (Math.abs(eps - EPS) > 1e-9) {
            // γ/√(var + ε_file) = γ/√(var' + ε_ours) with var' = var + ε_file − ε_ours.
            float[] var = result.get(bn.runningVar()).floats().clone();
            for (int c = 0; c < var.length; c++) {
                var[c] = (float) (var[c] + eps - EPS);
            }
            result.put(bn.runningVar(), Tensor.ofFloats(new int[] {var.length}, var));
        }
    }

    private static List<Weighted<Layer>> ourWeightedLayers(Network network) {
        List<Layer> layers = network.layers();
        Map<String, Integer> depthOf = new HashMap<>();
        depthOf.put(network.input().name(), 0);
        int[] depth = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int d = 0;
            for (var a : l.inputs()) {
                d = Math.max(d, depthOf.getOrDefault(a.name(), 0));
            }
            depth[i] = d + (weighted(l) ? 1 : 0);
            depthOf.put(l.output().name(), depth[i]);
        }
        // Height: weighted layers strictly after this layer on the longest path to the output.
        Map<String, Integer> heightFromValue = new HashMap<>();
        int[] height = new int[layers.size()];
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            height[i] = heightFromValue.getOrDefault(l.output().name(), 0);
            int up = height[i] + (weighted(l) ? 1 : 0);
            for (var a : l.inputs()) {
                heightFromValue.merge(a.name(), up, Math::max);
            }
        }
        List<Weighted<Layer>> result = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (weighted(layers.get(i))) {
                result.add(new Weighted<>(layers.get(i), depth[i], height[i]));
            }
        }
        return sortedUnique(result, w -> ourName(w));
    }

    private static List<Weighted<NodeProto>> fileWeightedNodes(GraphProto graph) {
        List<NodeProto> nodes = graph.getNodeList();
        Map<String, Integer> depthOf = new HashMap<>();
        int[] depth = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            int d = 0;
            for (String in : n.getInputList()) {
                d = Math.max(d, depthOf.getOrDefault(in, 0));
            }
            depth[i] = d + (weighted(n) ? 1 : 0);
            for (String out : n.getOutputList()) {
                depthOf.put(out, depth[i]);
            }
        }
        Map<String, Integer> heightFromValue = new HashMap<>();
        int[] height = new int[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto n = nodes.get(i);
            int h = 0;
            for (String out : n.getOutputList()) {
                h = Math.max(h, heightFromValue.getOrDefault(out, 0));
            }
            height[i] = h;
            int up = h + (weighted(n) ? 1 : 0);
            for (String in : n.getInputList()) {
                heightFromValue.merge(in, up, Math::max);
            }
        }
        List<Weighted<NodeProto>> result = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (weighted(nodes.get(i))) {
                result.add(new Weighted<>(nodes.get(i), depth[i], height[i]));
            }
        }
        return sortedUnique(result, OnnxWeightImporter::describeNode);
    }

    private static <T> List<Weighted<T>> sortedUnique(
            List<Weighted<T>> list, java.util.function.Function<T, String> name) {
        list.sort(Comparator.<Weighted<T>>comparingInt(Weighted::depth)
                .thenComparing(
                        Comparator.<Weighted<T>>comparingInt(Weighted::height).reversed()));
        for (int i = 1; i < list.size(); i++) {
            Weighted<T> a = list.get(i - 1);
            Weighted<T> b = list.get(i);
            if (a.depth() == b.depth() && a.height() == b.height()) {
                throw new IllegalArgumentException(
                        "cannot tell " + name.apply(a.layer()) + " and " + name.apply(b.layer())
                                + " apart by graph structure; import from a file with torchvision names");
            }
        }
        return list;
    }

    private static boolean weighted(Layer l) {
        return l.accept(WEIGHTED_NAME) != null;
    }

    private static boolean weighted(NodeProto n) {
        return n.getOpType().equals("Conv") || n.getOpType().equals("Gemm");
    }

    private static String ourName(Layer l) {
        return l.accept(WEIGHTED_NAME);
    }

    private static Map<String, List<NodeProto>> consumers(GraphProto graph) {
        Map<String, List<NodeProto>> result = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                result.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        return result;
    }

    private static NodeProto soleBatchNormConsumer(Map<String, List<NodeProto>> consumers, NodeProto conv) {
        List<NodeProto> readers = consumers.getOrDefault(conv.getOutput(0), List.of());
        return readers.size() == 1 && readers.get(0).getOpType().equals("BatchNormalization") ? readers.get(0) : null;
    }

    private static Map<String, Layer.BatchNorm> batchNormAfterConv(Network network) {
        Map<String, String> convByOutput = new HashMap<>();
        for (Layer.Conv c : network.layers(Layer.Conv.class)) {
            convByOutput.put(c.output().name(), c.name());
        }
        Map<String, Layer.BatchNorm> result = new HashMap<>();
        for (Layer.BatchNorm bn : network.layers(Layer.BatchNorm.class)) {
            if (convByOutput.containsKey(bn.input().name())) {
                result.put(convByOutput.get(bn.input().name()), bn);
            }
        }
        return result;
    }

    private static Tensor weight(Map<String, TensorProto> initializers, NodeProto node, int input, String where) {
        if (node.getInputCount() <= input) {
            throw new IllegalArgumentException("the file's " + where + " lacks input " + input);
        }
        TensorProto t = initializers.get(node.getInput(input));
        if (t == null) {
            throw new IllegalArgumentException("the file's " + where + " reads '" + node.getInput(input)
                    + "', which is computed, not stored as an initializer");
        }
        return TensorProtos.fromProto(t);
    }

    private static void checkShape(Parameter p, Tensor t, String fileName) {
        if (!t.hasShape(p.shape()) || t.dtype() != dev.resnetdsl.runtime.tensor.DType.F32) {
            throw new IllegalArgumentException(p.name() + " needs F32" + Arrays.toString(p.shape())
                    + " but the file's tensor '" + fileName + "' is " + t.describe());
        }
    }

    private static Tensor transpose(Tensor t, String name) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("the file's Gemm weight '" + name + "' is " + t.describe());
        }
        int r = t.dim(0);
        int c = t.dim(1);
        float[] src = t.floats();
        float[] dst = new float[src.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                dst[j * r + i] = src[i * c + j];
            }
        }
        return Tensor.ofFloats(new int[] {c, r}, dst);
    }

    private static Tensor filled(int n, float value) {
        float[] d = new float[n];
        Arrays.fill(d, value);
        return Tensor.ofFloats(new int[] {n}, d);
    }

    private static String describeNode(NodeProto n) {
        String name = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        return "'" + name + "'";
    }

    private static float floatAttr(NodeProto n, String name, float fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return fallback;
    }

    private static long intAttr(NodeProto n, String name, long fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }

    /** Imports one of our weighted layers from the file's node it corresponds to. */
    private static final class StructureImport implements Layer.Visitor<Void> {
        private final Network network;
        private final Map<String, TensorProto> initializers;
        private final Map<String, List<NodeProto>> consumers;
        private final Map<String, Layer.BatchNorm> bnAfter;
        private final Map<String, Tensor> result;
        private final NodeProto node;
        private final String where;

        StructureImport(
                Network network,
                Map<String, TensorProto> initializers,
                Map<String, List<NodeProto>> consumers,
                Map<String, Layer.BatchNorm> bnAfter,
                Map<String, Tensor> result,
                NodeProto node,
                String where) {
            this.network = network;
            this.initializers = initializers;
            this.consumers = consumers;
            this.bnAfter = bnAfter;
            this.result = result;
            this.node = node;
            this.where = where;
        }

        @Override
        public Void conv(Layer.Conv conv) {
            if (!node.getOpType().equals("Conv")) {
                throw new IllegalArgumentException(
                        conv.weight() + " corresponds to the file's " + where + ", which is not a Conv");
            }
            Parameter wp = network.parameters().get(conv.weight());
            Tensor w = weight(initializers, node, 1, where);
            checkShape(wp, w, node.getInput(1));
            result.put(conv.weight(), w);
            Layer.BatchNorm bn = bnAfter.get(conv.name());
            Tensor bias = node.getInputCount() > 2 && !node.getInput(2).isEmpty()
                    ? weight(initializers, node, 2, where)
                    : null;
            NodeProto fileBn = soleBatchNormConsumer(consumers, node);
            if (bn == null) {
                if (bias != null || fileBn != null) {
                    throw new IllegalArgumentException(conv.weight() + " has no batch norm after it, but the file's "
                            + where + " has a bias or batch norm");
                }
                return null;
            }
            int channels = conv.output().channels();
            if (fileBn != null && bias == null) {
                importBatchNorm(network, bn, fileBn, initializers, result);
            } else if (fileBn == null) {
                if (bias != null) {
                    checkShape(network.parameters().get(bn.bias()), bias, node.getInput(2));
                }
                result.put(bn.weight(), filled(channels, 1f));
                result.put(bn.bias(), bias != null ? bias : filled(channels, 0f));
                result.put(bn.runningMean(), filled(channels, 0f));
                result.put(bn.runningVar(), filled(channels, (float) (1 - EPS)));
            } else {
                throw new IllegalArgumentException("the file's " + where
                        + " has both a bias and a BatchNormalization after it; this importer does not combine them");
            }
            return null;
        }

        @Override
        public Void fullyConnected(Layer.FullyConnected fc) {
            if (!node.getOpType().equals("Gemm")) {
                throw new IllegalArgumentException(
                        fc.weight() + " corresponds to the file's " + where + ", which is not a Gemm");
            }
            if (floatAttr(node, "alpha", 1f) != 1f
                    || floatAttr(node, "beta", 1f) != 1f
                    || intAttr(node, "transA", 0) != 0) {
                throw new IllegalArgumentException("the file's " + where
                        + " uses alpha, beta or transA, which a fully connected layer does not have");
            }
            Tensor w = weight(initializers, node, 1, where);
            if (intAttr(node, "transB", 0) == 0) {
                w = transpose(w, node.getInput(1));
            }
            checkShape(network.parameters().get(fc.weight()), w, node.getInput(1));
            result.put(fc.weight(), w);
            Tensor b = node.getInputCount() > 2 && !node.getInput(2).isEmpty()
                    ? weight(initializers, node, 2, where)
                    : filled(fc.output().channels(), 0f);
            checkShape(network.parameters().get(fc.bias()), b, node.getInputCount() > 2 ? node.getInput(2) : "(none)");
            result.put(fc.bias(), b);
            return null;
        }

        @Override
        public Void batchNorm(Layer.BatchNorm b) {
            throw notWeighted(b);
        }

        @Override
        public Void relu(Layer.Relu r) {
            throw notWeighted(r);
        }

        @Override
        public Void maxPool(Layer.MaxPool m) {
            throw notWeighted(m);
        }

        @Override
        public Void add(Layer.Add a) {
            throw notWeighted(a);
        }

        @Override
        public Void zeroPadShortcut(Layer.ZeroPadShortcut z) {
            throw notWeighted(z);
        }

        @Override
        public Void globalAvgPool(Layer.GlobalAvgPool g) {
            throw notWeighted(g);
        }

        private static IllegalStateException notWeighted(Layer layer) {
            return new IllegalStateException("not a weighted layer: " + layer);
        }
    }

    /** The name of one of our weighted layers (conv or fully connected), or null for every other kind. */
    private static final Layer.Visitor<String> WEIGHTED_NAME = new Layer.Visitor<>() {
        @Override
        public String conv(Layer.Conv c) {
            return c.name();
        }

        @Override
        public String fullyConnected(Layer.FullyConnected f) {
            return f.name();
        }

        @Override
        public String batchNorm(Layer.BatchNorm b) {
            return null;
        }

        @Override
        public String relu(Layer.Relu r) {
            return null;
        }

        @Override
        public String maxPool(Layer.MaxPool m) {
            return null;
        }

        @Override
        public String add(Layer.Add a) {
            return null;
        }

        @Override
        public String zeroPadShortcut(Layer.ZeroPadShortcut z) {
            return null;
        }

        @Override
        public String globalAvgPool(Layer.GlobalAvgPool g) {
            return null;
        }
    };
}
