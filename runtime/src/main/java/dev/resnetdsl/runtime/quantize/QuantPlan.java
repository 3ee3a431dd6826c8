package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes of a BN-folded float graph run in int8 and which values are stored as 8-bit between them.
 *
 * <p>Roles: a {@code Conv} or {@code Gemm} with constant weights runs in int8 (weights per output channel, bias in
 * int32); a residual {@code Add} of two activations and a {@code GlobalAveragePool}/{@code AveragePool} run in int8
 * on their quantized inputs; a {@code Relu} that is the only reader of an int8 Conv or Add is absorbed by the
 * quantization of its output (its range starts at 0, so the zero point is the type's minimum and the clamp does the
 * Relu's work — ONNX Runtime then drops it); data-movement operators ({@code MaxPool}, {@code Slice},
 * {@code Flatten}, {@code Reshape}, {@code Transpose}, {@code Squeeze}, {@code Unsqueeze}, zero {@code Pad}) pass
 * 8-bit values through with their input's scale and zero point. Everything else runs in float.
 *
 * <p>Quantized values: the data inputs of int8 nodes and their outputs (after an absorbed Relu). A value that a
 * pass-through operator's quantized output comes from is quantized too (so a max-pool after a float first
 * convolution runs on 8-bit values), and the pass-through output shares its scale ({@link #root}). Graph outputs
 * stay float. Only the roots get a range from calibration.
 */
final class QuantPlan {
    /** What a node becomes. */
    enum Role {
        INT8_CONV,
        INT8_GEMM,
        INT8_ADD,
        INT8_POOL,
        /** A Relu absorbed into the quantization of its int8 producer's output. */
        FUSED_RELU,
        /** Moves 8-bit values; shares its input's scale and zero point. */
        PASS_THROUGH,
        FLOAT
    }

    private final ModelGraph graph;
    private final Role[] roles;
    private final Set<String> quantized;
    private final Map<String, String> roots;

    private QuantPlan(ModelGraph graph, Role[] roles, Set<String> quantized, Map<String, String> roots) {
        this.graph = graph;
        this.roles = roles;
        this.quantized = quantized;
        this.roots = roots;
    }

    /** The plan for {@code graph} (already BN-folded) under {@code options}. */
    static QuantPlan of(ModelGraph graph, QuantizeOptions options) {
        int n = graph.nodes().size();
        Role[] roles = new Role[n];
        for (int i = 0; i < n; i++) {
            roles[i] = computeRole(graph, graph.node(i), options);
        }
        // The value an int8 node's output Q reads: after the Relu it absorbs, if any.
        String[] quantizedOutput = new String[n];
        for (int i = 0; i < n; i++) {
            if (roles[i] == Role.FLOAT || roles[i] == Role.INT8_GEMM) {
                continue;
            }
            String out = graph.node(i).getOutput(0);
            if (roles[i] != Role.INT8_POOL && graph.hasSoleReader(out)) {
                int reader = graph.consumers(out).get(0);
                if (graph.node(reader).getOpType().equals("Relu")) {
                    roles[reader] = Role.FUSED_RELU;
                    out = graph.node(reader).getOutput(0);
                }
            }
            if (graph.isGraphOutput(out)) {
                // ONNX Runtime fuses an int8 operator only when a QuantizeLinear follows it.
                roles[i] = Role.FLOAT;
                if (!out.equals(graph.node(i).getOutput(0))) {
                    roles[graph.consumers(graph.node(i).getOutput(0)).get(0)] = Role.FLOAT;
                }
                continue;
            }
            quantizedOutput[i] = out;
        }
        Set<String> marked = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            NodeProto node = graph.node(i);
            switch (roles[i]) {
                case INT8_CONV, INT8_GEMM, INT8_POOL -> marked.add(node.getInput(0));
                case INT8_ADD -> {
                    marked.add(node.getInput(0));
                    marked.add(node.getInput(1));
                }
                default -> {}
            }
            if (quantizedOutput[i] != null) {
                marked.add(quantizedOutput[i]);
            }
        }
        // Backwards: what a data-movement node's quantized output comes from is quantized as well.
        for (int i = n - 1; i >= 0; i--) {
            NodeProto node = graph.node(i);
            if (roles[i] == Role.FLOAT
                    && passesThrough(graph, node)
                    && marked.contains(node.getOutput(0))
                    && !graph.isConstant(node.getInput(0))) {
                marked.add(node.getInput(0));
            }
        }
        // Forwards: data-movement nodes on quantized values pass them through with the same scale.
        Map<String, String> roots = new HashMap<>();
        for (int i = 0; i < n; i++) {
            NodeProto node = graph.node(i);
            if (roles[i] == Role.FLOAT && passesThrough(graph, node) && marked.contains(node.getInput(0))) {
                String out = node.getOutput(0);
                if (graph.isGraphOutput(out)) {
                    continue;
                }
                roles[i] = Role.PASS_THROUGH;
                roots.put(out, roots.getOrDefault(node.getInput(0), node.getInput(0)));
                marked.add(out);
            }
        }
        // Keep file order (graph input first), so calibration outputs and Q/DQ nodes come out deterministic.
        Set<String> ordered = new LinkedHashSet<>();
        if (marked.contains(graph.input())) {
            ordered.add(graph.input());
        }
        for (NodeProto node : graph.nodes()) {
            for (String out : node.getOutputList()) {
                if (marked.contains(out)) {
                    ordered.add(out);
                }
            }
        }
        return new QuantPlan(graph, roles, ordered, roots);
    }

    private static Role computeRole(ModelGraph graph, NodeProto node, QuantizeOptions options) {
        if (options.floatNodes().contains(node.getName())
                || (node.getOutputCount() > 0 && options.floatNodes().contains(node.getOutput(0)))
                || (weightLayerName(node) != null && options.floatNodes().contains(weightLayerName(node)))) {
            return Role.FLOAT;
        }
        switch (node.getOpType()) {
            case "Conv" -> {
                boolean constantWeight = node.getInputCount() >= 2
                        && graph.isConstant(node.getInput(1))
                        && isFloat(graph, node.getInput(1))
                        && graph.initializers().get(node.getInput(1)).getDimsCount() == 4;
                boolean constantBias = node.getInputCount() < 3
                        || node.getInput(2).isEmpty()
                        || (graph.isConstant(node.getInput(2))
                                && isFloat(graph, node.getInput(2))
                                && constantWeight
                                && dims(graph, node.getInput(2))
                                        .equals(List.of(
                                                dims(graph, node.getInput(1)).get(0))));
                if (!constantWeight || !constantBias || graph.isConstant(node.getInput(0))) {
                    return Role.FLOAT;
                }
                if (options.floatFirstConv() && node.getInput(0).equals(graph.input())) {
                    return Role.FLOAT;
                }
                return Role.INT8_CONV;
            }
            case "Gemm" -> {
                boolean constantWeight = graph.isConstant(node.getInput(1))
                        && isFloat(graph, node.getInput(1))
                        && graph.initializers().get(node.getInput(1)).getDimsCount() == 2;
                boolean hasBias = node.getInputCount() > 2 && !node.getInput(2).isEmpty();
                long outputs = constantWeight
                        ? dims(graph, node.getInput(1)).get(ModelGraph.intAttribute(node, "transB", 0) == 1 ? 0 : 1)
                        : -1;
                boolean biasOk = !hasBias
                        || (graph.isConstant(node.getInput(2))
                                && isFloat(graph, node.getInput(2))
                                && dims(graph, node.getInput(2)).equals(List.of(outputs))
                                && ModelGraph.floatAttribute(node, "beta", 1f) == 1f);
                boolean plain = ModelGraph.intAttribute(node, "transA", 0) == 0
                        && ModelGraph.floatAttribute(node, "alpha", 1f) == 1f;
                if (!constantWeight || !biasOk || !plain || options.floatClassifier()) {
                    return Role.FLOAT;
                }
                return Role.INT8_GEMM;
            }
            case "Add" -> {
                boolean activations = node.getInputCount() == 2
                        && !graph.isConstant(node.getInput(0))
                        && !graph.isConstant(node.getInput(1));
                return activations ? Role.INT8_ADD : Role.FLOAT;
            }
            case "GlobalAveragePool", "AveragePool" -> {
                return Role.INT8_POOL;
            }
            default -> {
                return Role.FLOAT;
            }
        }
    }

    /** {@code fc} for a node whose weight is {@code fc.weight} (torchvision's layer names); null otherwise. */
    static String weightLayerName(NodeProto node) {
        if (node.getInputCount() > 1 && node.getInput(1).endsWith(".weight")) {
            String w = node.getInput(1);
            return w.substring(0, w.length() - ".weight".length());
        }
        return null;
    }

    /** Data-movement nodes whose output, quantized with the input's scale and zero point, is exact. */
    private static boolean passesThrough(ModelGraph graph, NodeProto node) {
        if (node.getInputCount() == 0 || node.getOutputCount() != 1) {
            return false;
        }
        return switch (node.getOpType()) {
            case "MaxPool" -> node.getOutputCount() == 1;
            case "Slice", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze" -> true;
            case "Pad" -> isZeroConstantPad(graph, node);
            default -> false;
        };
    }

    /** A constant-mode Pad with value 0 (0 quantizes exactly to the zero point). */
    private static boolean isZeroConstantPad(ModelGraph graph, NodeProto node) {
        for (var a : node.getAttributeList()) {
            if (a.getName().equals("mode") && !a.getS().toStringUtf8().equals("constant")) {
                return false;
            }
        }
        if (node.getInputCount() < 3 || node.getInput(2).isEmpty()) {
            return true;
        }
        if (!graph.isConstant(node.getInput(2)) || !isFloat(graph, node.getInput(2))) {
            return false;
        }
        float[] v = graph.constant(node.getInput(2)).floats();
        return v.length == 1 && v[0] == 0f;
    }

    private static List<Long> dims(ModelGraph graph, String value) {
        return graph.initializers().get(value).getDimsList();
    }

    private static boolean isFloat(ModelGraph graph, String value) {
        return graph.initializers().get(value).getDataType() == TensorProto.DataType.FLOAT_VALUE;
    }

    ModelGraph graph() {
        return graph;
    }

    Role role(int node) {
        return roles[node];
    }

    /** Every value stored as 8-bit, graph input first, then in the order the nodes write them. */
    Set<String> quantized() {
        return quantized;
    }

    /** The value whose scale and zero point {@code value} shares (itself unless it passed through data movement). */
    String root(String value) {
        return roots.getOrDefault(value, value);
    }

    /** The quantized values that get their own range: roots, in {@link #quantized()} order. */
    List<String> calibrated() {
        List<String> result = new ArrayList<>();
        for (String v : quantized) {
            if (!roots.containsKey(v)) {
                result.add(v);
            }
        }
        return result;
    }
}
