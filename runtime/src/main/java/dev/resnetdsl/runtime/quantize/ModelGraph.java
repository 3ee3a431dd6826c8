package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.onnx.TensorProtos;
import dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.OperatorSetIdProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ValueInfoProto;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only index over one ONNX inference graph: its nodes in file order, its initializers by name, which node
 * writes each value and which nodes read it. The quantizer's passes ask it questions ("is this input a constant?",
 * "is this Relu the only reader of that Conv?") instead of searching node lists.
 *
 * <p>Built from a model that {@link #of} checks: one default-domain opset from 13 (per-channel
 * {@code QuantizeLinear} needs 13), no subgraphs, nodes in topological order (the ONNX rule), one float graph input
 * besides the initializers.
 */
final class ModelGraph {
    /** Lowest default-domain opset the quantizer accepts: per-axis DequantizeLinear arrived in 13. */
    static final int MIN_OPSET = 13;

    private final ModelProto model;
    private final List<NodeProto> nodes;
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, Integer> producers = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final String input;
    private final int opset;

    private ModelGraph(ModelProto model) {
        this.model = model;
        GraphProto g = model.getGraph();
        this.nodes = g.getNodeList();
        this.opset = defaultOpset(model);
        for (TensorProto t : g.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        List<String> realInputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                realInputs.add(v.getName());
            }
        }
        if (realInputs.size() != 1) {
            throw new IllegalArgumentException(
                    "the model has " + realInputs.size() + " inputs " + realInputs + "; an image classifier has one");
        }
        this.input = realInputs.get(0);
        for (ValueInfoProto v : g.getInputList()) {
            if (v.getName().equals(input)
                    && v.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new IllegalArgumentException("the model's input '" + input + "' is not float32");
            }
        }
        for (ValueInfoProto v : g.getOutputList()) {
            graphOutputs.add(v.getName());
        }
        Set<String> known = new HashSet<>(initializers.keySet());
        known.add(input);
        known.add("");
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new IllegalArgumentException("node " + describe(n) + " is of domain '" + n.getDomain()
                        + "'; the quantizer reads float models in standard ONNX operators");
            }
            if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) {
                throw new IllegalArgumentException("node " + describe(n) + " writes no value");
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) {
                    throw new IllegalArgumentException(
                            "node " + describe(n) + " has a subgraph; the quantizer reads graphs without control flow");
                }
            }
            for (String in : n.getInputList()) {
                if (!known.contains(in)) {
                    throw new IllegalArgumentException("node " + describe(n) + " reads '" + in
                            + "', which no earlier node writes (the graph is not in topological order)");
                }
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
            for (String out : n.getOutputList()) {
                if (!out.isEmpty()) {
                    if (producers.putIfAbsent(out, i) != null || initializers.containsKey(out)) {
                        throw new IllegalArgumentException("value '" + out + "' is written twice");
                    }
                    known.add(out);
                }
            }
        }
        for (String out : graphOutputs) {
            if (!known.contains(out)) {
                throw new IllegalArgumentException("graph output '" + out + "' is written by no node");
            }
        }
    }

    /** The index of {@code model}'s graph, or an {@link IllegalArgumentException} saying why it cannot be read. */
    static ModelGraph of(ModelProto model) {
        return new ModelGraph(model);
    }

    ModelProto model() {
        return model;
    }

    List<NodeProto> nodes() {
        return nodes;
    }

    NodeProto node(int index) {
        return nodes.get(index);
    }

    /** The graph input (the images). */
    String input() {
        return input;
    }

    /** The default domain's opset. */
    int opset() {
        return opset;
    }

    boolean isGraphOutput(String value) {
        return graphOutputs.contains(value);
    }

    /** Initializers by name, in file order. */
    Map<String, TensorProto> initializers() {
        return initializers;
    }

    /** True when {@code value} is an initializer (a constant of the model). */
    boolean isConstant(String value) {
        return initializers.containsKey(value);
    }

    /** The float initializer {@code value}. */
    Tensor constant(String value) {
        TensorProto t = initializers.get(value);
        if (t == null) {
            throw new IllegalArgumentException("'" + value + "' is not an initializer");
        }
        return TensorProtos.fromProto(t);
    }

    /** The node that writes {@code value}, if a node does (not for the input or initializers). */
    Optional<Integer> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /** Indices of the nodes that read {@code value}, in file order. */
    List<Integer> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** True when exactly one node reads {@code value} and it is not a graph output. */
    boolean hasSoleReader(String value) {
        return consumers(value).size() == 1 && !graphOutputs.contains(value);
    }

    /** {@code Conv 'layer1.0.conv1'}, for messages. */
    static String describe(NodeProto n) {
        String name = n.getName().isEmpty() ? (n.getOutputCount() > 0 ? n.getOutput(0) : "") : n.getName();
        return n.getOpType() + " '" + name + "'";
    }

    /** A node's name, or its first output's when it has none (foreign exports often leave names empty). */
    static String nameOf(NodeProto n) {
        return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
    }

    /** An integer attribute, or {@code fallback} when the node does not set it. */
    static long intAttribute(NodeProto n, String name, long fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }

    /** A float attribute, or {@code fallback} when the node does not set it. */
    static float floatAttribute(NodeProto n, String name, float fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return fallback;
    }

    private static int defaultOpset(ModelProto m) {
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                if (o.getVersion() < MIN_OPSET) {
                    throw new IllegalArgumentException("the model uses opset " + o.getVersion()
                            + "; quantization needs opset " + MIN_OPSET + " or newer (re-export it)");
                }
                return (int) o.getVersion();
            }
        }
        throw new IllegalArgumentException("the model does not import the default ONNX opset");
    }
}
