package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.onnx.TensorProtos;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ValueInfoProto;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds each inference-form {@code BatchNormalization} into the {@code Conv} before it, on the ONNX graph: the conv
 * then computes {@code w·γ/√(var+ε)} and bias {@code β + (b − mean)·γ/√(var+ε)} (in double precision) and writes
 * the BN's output. Quantization needs this first: a weight's int8 scale must be chosen for the weights the product
 * actually uses, and a separate BN would run in float between two int8 convolutions.
 *
 * <p>A BN folds when its input comes from a Conv with constant weights (and constant bias, if any) that nothing
 * else reads; others stay as they are (they then run in float). The folded conv keeps its node name; BN parameters
 * that nothing reads any more are dropped.
 */
final class BatchNormFolding {
    private BatchNormFolding() {}

    /** The model with every foldable BN folded; the same model when there is none. */
    static ModelProto fold(ModelGraph graph) {
        Map<Integer, Integer> bnOfConv = new HashMap<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            NodeProto bn = graph.node(i);
            if (!bn.getOpType().equals("BatchNormalization") || bn.getOutputCount() != 1 || bn.getInputCount() != 5) {
                continue;
            }
            Integer conv = graph.producer(bn.getInput(0)).orElse(null);
            if (conv == null || !foldable(graph, graph.node(conv), bn)) {
                continue;
            }
            bnOfConv.put(conv, i);
        }
        if (bnOfConv.isEmpty()) {
            return graph.model();
        }
        Set<Integer> folded = new HashSet<>(bnOfConv.values());
        Map<String, TensorProto> initializers = new LinkedHashMap<>(graph.initializers());
        Set<String> taken = new HashSet<>(initializers.keySet());
        for (NodeProto n : graph.nodes()) {
            taken.addAll(n.getOutputList());
        }
        List<NodeProto> nodes = new ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            if (folded.contains(i)) {
                continue;
            }
            NodeProto n = graph.node(i);
            Integer bnIndex = bnOfConv.get(i);
            if (bnIndex == null) {
                nodes.add(n);
                continue;
            }
            NodeProto bn = graph.node(bnIndex);
            Tensor[] wb = foldedWeightAndBias(graph, n, bn);
            String name = ModelGraph.nameOf(n);
            // Initializers may be shared (not in our exports); the folded values get their own names then.
            String weight = n.getInput(1);
            if (graph.consumers(weight).size() > 1) {
                weight = fresh(taken, name + ".weight");
            }
            String bias =
                    n.getInputCount() > 2 && graph.consumers(n.getInput(2)).size() == 1
                            ? n.getInput(2)
                            : fresh(taken, name + ".bias");
            initializers.put(weight, TensorProtos.toProto(weight, wb[0]));
            initializers.put(bias, TensorProtos.toProto(bias, wb[1]));
            nodes.add(n.toBuilder()
                    .setName(name)
                    .clearInput()
                    .addInput(n.getInput(0))
                    .addInput(weight)
                    .addInput(bias)
                    .setOutput(0, bn.getOutput(0))
                    .build());
        }
        Set<String> read = new HashSet<>();
        for (NodeProto n : nodes) {
            read.addAll(n.getInputList());
        }
        GraphProto.Builder g = graph.model().getGraph().toBuilder().clearNode().addAllNode(nodes);
        g.clearInitializer();
        for (TensorProto t : initializers.values()) {
            if (read.contains(t.getName())) {
                g.addInitializer(t);
            }
        }
        // Old exporters also list initializers as graph inputs; drop the entries of the ones removed.
        List<ValueInfoProto> inputs = new ArrayList<>(g.getInputList());
        g.clearInput();
        for (ValueInfoProto v : inputs) {
            if (!graph.isConstant(v.getName()) || read.contains(v.getName())) {
                g.addInput(v);
            }
        }
        // Shapes recorded for the convs' old outputs no longer exist.
        List<ValueInfoProto> infos = new ArrayList<>(g.getValueInfoList());
        g.clearValueInfo();
        Set<String> written = new HashSet<>();
        for (NodeProto n : nodes) {
            written.addAll(n.getOutputList());
        }
        for (ValueInfoProto v : infos) {
            if (written.contains(v.getName())) {
                g.addValueInfo(v);
            }
        }
        return graph.model().toBuilder().setGraph(g).build();
    }

    private static boolean foldable(ModelGraph graph, NodeProto conv, NodeProto bn) {
        if (!conv.getOpType().equals("Conv") || conv.getOutputCount() != 1 || !graph.hasSoleReader(conv.getOutput(0))) {
            return false;
        }
        if (conv.getInputCount() < 2 || !graph.isConstant(conv.getInput(1))) {
            return false;
        }
        if (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() && !graph.isConstant(conv.getInput(2))) {
            return false;
        }
        for (int i = 1; i < 5; i++) {
            if (!graph.isConstant(bn.getInput(i))) {
                return false;
            }
        }
        return true;
    }

    /** Folded [weight, bias], computed in double precision. */
    private static Tensor[] foldedWeightAndBias(ModelGraph graph, NodeProto conv, NodeProto bn) {
        Tensor weight = graph.constant(conv.getInput(1));
        float[] gamma = graph.constant(bn.getInput(1)).floats();
        float[] beta = graph.constant(bn.getInput(2)).floats();
        float[] mean = graph.constant(bn.getInput(3)).floats();
        float[] var = graph.constant(bn.getInput(4)).floats();
        double epsilon = ModelGraph.floatAttribute(bn, "epsilon", 1e-5f);
        int out = weight.dim(0);
        if (gamma.length != out || beta.length != out || mean.length != out || var.length != out) {
            throw new IllegalArgumentException(ModelGraph.describe(bn) + " has parameters for " + gamma.length
                    + " channels, but " + ModelGraph.describe(conv) + " writes " + out);
        }
        float[] bias = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()
                ? graph.constant(conv.getInput(2)).floats()
                : new float[out];
        if (bias.length != out || weight.rank() < 2) {
            throw new IllegalArgumentException(ModelGraph.describe(conv) + " has a bias of " + bias.length
                    + " values and a weight of shape " + java.util.Arrays.toString(weight.shape()));
        }
        int per = weight.elements() / out;
        float[] w = weight.floats();
        float[] fw = new float[w.length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) var[o] + epsilon);
            for (int i = o * per; i < (o + 1) * per; i++) {
                fw[i] = (float) (w[i] * scale);
            }
            fb[o] = (float) (beta[o] + (bias[o] - (double) mean[o]) * scale);
        }
        return new Tensor[] {Tensor.ofFloats(weight.shape(), fw), Tensor.ofFloats(new int[] {out}, fb)};
    }

    private static String fresh(Set<String> taken, String base) {
        String candidate = base;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = base + "_" + i;
        }
        return candidate;
    }
}
