package dev.resnetdsl.runtime.quantize;

import com.google.protobuf.ByteString;
import dev.resnetdsl.runtime.onnx.TensorProtos;
import dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the int8 graph of a {@link QuantPlan}: every quantized value {@code v} gets {@code QuantizeLinear} →
 * {@code v_quantized} → {@code DequantizeLinear} → {@code v_dequantized} right after the node that writes it, and
 * its readers read {@code v_dequantized}; int8 convolutions and the classifier read their weights through
 * {@code DequantizeLinear} of an int8 initializer (per output channel, {@code axis}) and their bias through
 * {@code DequantizeLinear} of an int32 initializer. ONNX Runtime recognises these groups and runs them as its int8
 * kernels (QLinearConv, QLinearAdd, QLinearGlobalAveragePool, QGemm, MaxPool on 8-bit values).
 *
 * <p>With {@link OperatorFormat#QLINEAR}, each int8 convolution is written as one {@code QLinearConv} from
 * {@code x_quantized} to {@code y_quantized} instead (the Relu it absorbs is left out: the output's zero point is
 * the type's minimum, so QLinearConv's saturation is the Relu).
 */
final class QdqWriter {
    /** Suffix of a value's or weight's quantized form. */
    static final String QUANTIZED = "_quantized";

    private final QuantPlan plan;
    private final ModelGraph graph;
    private final Map<String, QuantParams> params;
    private final OperatorFormat format;
    private final Set<String> names = new HashSet<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, TensorProto> initializers;
    /** What readers of a value read instead: its dequantized copy. */
    private final Map<String, String> rename = new HashMap<>();
    /** Values whose QuantizeLinear is written (or whose QLinearConv writes the quantized form directly). */
    private final Map<String, String> quantizedName = new HashMap<>();
    /** Scale and zero-point initializers, per root value. */
    private final Map<String, String[]> activationConstants = new HashMap<>();

    private QdqWriter(QuantPlan plan, Map<String, QuantParams> params, OperatorFormat format) {
        this.plan = plan;
        this.graph = plan.graph();
        this.params = params;
        this.format = format;
        this.initializers = new LinkedHashMap<>(graph.initializers());
        names.addAll(graph.initializers().keySet());
        names.add(graph.input());
        for (NodeProto n : graph.nodes()) {
            names.addAll(n.getOutputList());
            names.add(n.getName());
        }
    }

    /**
     * The int8 model: the float model's graph rewritten, everything else (opsets, metadata, doc) as it was.
     *
     * @param params scale and zero point of every calibrated (root) value of the plan
     */
    static ModelProto write(QuantPlan plan, Map<String, QuantParams> params, OperatorFormat format) {
        return new QdqWriter(plan, params, format).build();
    }

    private ModelProto build() {
        if (plan.quantized().contains(graph.input())) {
            quantizeAndDequantize(graph.input());
        }
        for (int i = 0; i < graph.nodes().size(); i++) {
            NodeProto node = graph.node(i);
            switch (plan.role(i)) {
                case INT8_CONV -> {
                    if (format == OperatorFormat.QLINEAR) {
                        qlinearConv(i, node);
                    } else {
                        withWeights(node, 0);
                    }
                }
                case INT8_GEMM -> withWeights(node, ModelGraph.intAttribute(node, "transB", 0) == 1 ? 0 : 1);
                case FUSED_RELU -> {
                    if (!quantizedName.containsKey(node.getOutput(0))) {
                        nodes.add(renamed(node));
                    }
                }
                default -> nodes.add(renamed(node));
            }
            for (String out : node.getOutputList()) {
                if (plan.quantized().contains(out)) {
                    quantizeAndDequantize(out);
                }
            }
        }
        dropUnread();
        Set<String> read = new HashSet<>();
        for (NodeProto n : nodes) {
            read.addAll(n.getInputList());
        }
        GraphProto.Builder g = graph.model().getGraph().toBuilder()
                .clearNode()
                .addAllNode(nodes)
                .clearInitializer();
        for (TensorProto t : initializers.values()) {
            if (read.contains(t.getName())) {
                g.addInitializer(t);
            }
        }
        var inputs = new ArrayList<>(g.getInputList());
        g.clearInput();
        for (var v : inputs) {
            if (!graph.isConstant(v.getName()) || read.contains(v.getName())) {
                g.addInput(v);
            }
        }
        return graph.model().toBuilder().setGraph(g).build();
    }

    /**
     * Removes QuantizeLinear and DequantizeLinear nodes whose output nothing reads (with QLinearConv, a value's
     * dequantized copy is often unused); ONNX Runtime would otherwise compute them.
     */
    private void dropUnread() {
        boolean changed = true;
        while (changed) {
            Set<String> read = new HashSet<>();
            for (NodeProto n : nodes) {
                read.addAll(n.getInputList());
            }
            changed = nodes.removeIf(n ->
                    (n.getOpType().equals("DequantizeLinear") || n.getOpType().equals("QuantizeLinear"))
                            && !read.contains(n.getOutput(0))
                            && !graph.isGraphOutput(n.getOutput(0)));
        }
    }

    /** The node with its inputs renamed to the dequantized copies. */
    private NodeProto renamed(NodeProto node) {
        NodeProto.Builder b = node.toBuilder().clearInput();
        for (String in : node.getInputList()) {
            b.addInput(rename.getOrDefault(in, in));
        }
        if (node.getName().isEmpty()) {
            b.setName(fresh(node.getOutput(0)));
        }
        return b.build();
    }

    /** A Conv or Gemm whose weight (and bias) are read through DequantizeLinear of int8 (int32) initializers. */
    private void withWeights(NodeProto node, int weightAxis) {
        NodeProto.Builder b = renamed(node).toBuilder();
        String input = node.getInput(0);
        QuantParams x = params.get(plan.root(input));
        Tensor weight = graph.constant(node.getInput(1));
        WeightQuantizer.Quantized w = WeightQuantizer.perChannel(weight, weightAxis);
        b.setInput(1, dequantizedWeight(node.getInput(1), weight.shape(), w, weightAxis));
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
            b.setInput(2, dequantizedBias(node.getInput(2), x.scale(), w.scales()));
        }
        nodes.add(b.build());
    }

    /** One QLinearConv from the input's quantized form to the output's (after the Relu it absorbs). */
    private void qlinearConv(int index, NodeProto node) {
        String input = node.getInput(0);
        QuantParams x = params.get(plan.root(input));
        String out = node.getOutput(0);
        if (graph.hasSoleReader(out) && plan.role(graph.consumers(out).get(0)) == QuantPlan.Role.FUSED_RELU) {
            out = graph.node(graph.consumers(out).get(0)).getOutput(0);
        }
        Tensor weight = graph.constant(node.getInput(1));
        WeightQuantizer.Quantized w = WeightQuantizer.perChannel(weight, 0);
        String base = node.getInput(1);
        String wq = addInitializer(TensorProtos.bytes(
                fresh(base + QUANTIZED), TensorProto.DataType.INT8_VALUE, weight.shape(), w.values()));
        String ws = addInitializer(TensorProtos.toProto(
                fresh(base + "_scale"), Tensor.ofFloats(new int[] {w.scales().length}, w.scales())));
        String wz = addInitializer(TensorProtos.bytes(
                fresh(base + "_zero_point"),
                TensorProto.DataType.INT8_VALUE,
                new int[] {w.scales().length},
                new byte[w.scales().length]));
        String[] xc = activationConstants(plan.root(input));
        String[] yc = activationConstants(plan.root(out));
        List<String> inputs =
                new ArrayList<>(List.of(quantizedName.get(input), xc[0], xc[1], wq, ws, wz, yc[0], yc[1]));
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
            float[] bias = graph.constant(node.getInput(2)).floats();
            float[] scales = WeightQuantizer.biasScales(x.scale(), w.scales());
            inputs.add(addInitializer(TensorProtos.int32s(
                    fresh(node.getInput(2) + QUANTIZED), new int[] {bias.length}, WeightQuantizer.bias(bias, scales))));
        }
        String y = fresh(out + QUANTIZED);
        NodeProto.Builder q = NodeProto.newBuilder()
                .setOpType("QLinearConv")
                .setName(node.getName().isEmpty() ? fresh(out) : node.getName())
                .addAllInput(inputs)
                .addOutput(y);
        for (AttributeProto a : node.getAttributeList()) {
            q.addAttribute(a);
        }
        if (node.hasDocString()) {
            q.setDocString(node.getDocString());
        }
        nodes.add(q.build());
        quantizedName.put(out, y);
    }

    private String dequantizedWeight(String base, int[] shape, WeightQuantizer.Quantized w, int axis) {
        String q = addInitializer(
                TensorProtos.bytes(fresh(base + QUANTIZED), TensorProto.DataType.INT8_VALUE, shape, w.values()));
        String scale = addInitializer(TensorProtos.toProto(
                fresh(base + "_scale"), Tensor.ofFloats(new int[] {w.scales().length}, w.scales())));
        String zero = addInitializer(TensorProtos.bytes(
                fresh(base + "_zero_point"),
                TensorProto.DataType.INT8_VALUE,
                new int[] {w.scales().length},
                new byte[w.scales().length]));
        String out = fresh(base + "_dequantized");
        nodes.add(NodeProto.newBuilder()
                .setOpType("DequantizeLinear")
                .setName(fresh(base + "_DequantizeLinear"))
                .addInput(q)
                .addInput(scale)
                .addInput(zero)
                .addOutput(out)
                .addAttribute(intAttribute("axis", axis))
                .build());
        return out;
    }

    private String dequantizedBias(String base, float inputScale, float[] weightScales) {
        float[] bias = graph.constant(base).floats();
        float[] scales = WeightQuantizer.biasScales(inputScale, weightScales);
        String q = addInitializer(TensorProtos.int32s(
                fresh(base + QUANTIZED), new int[] {bias.length}, WeightQuantizer.bias(bias, scales)));
        String scale = addInitializer(
                TensorProtos.toProto(fresh(base + "_scale"), Tensor.ofFloats(new int[] {scales.length}, scales)));
        String zero = addInitializer(
                TensorProtos.int32s(fresh(base + "_zero_point"), new int[] {scales.length}, new int[scales.length]));
        String out = fresh(base + "_dequantized");
        nodes.add(NodeProto.newBuilder()
                .setOpType("DequantizeLinear")
                .setName(fresh(base + "_DequantizeLinear"))
                .addInput(q)
                .addInput(scale)
                .addInput(zero)
                .addOutput(out)
                .addAttribute(intAttribute("axis", 0))
                .build());
        return out;
    }

    /** QuantizeLinear (unless a QLinearConv already wrote the quantized form) and DequantizeLinear after {@code v}. */
    private void quantizeAndDequantize(String v) {
        String[] c = activationConstants(plan.root(v));
        String q = quantizedName.get(v);
        if (q == null) {
            q = fresh(v + QUANTIZED);
            nodes.add(NodeProto.newBuilder()
                    .setOpType("QuantizeLinear")
                    .setName(fresh(v + "_QuantizeLinear"))
                    .addInput(v)
                    .addInput(c[0])
                    .addInput(c[1])
                    .addOutput(q)
                    .build());
            quantizedName.put(v, q);
        }
        String dq = fresh(v + "_dequantized");
        nodes.add(NodeProto.newBuilder()
                .setOpType("DequantizeLinear")
                .setName(fresh(v + "_DequantizeLinear"))
                .addInput(q)
                .addInput(c[0])
                .addInput(c[1])
                .addOutput(dq)
                .build());
        rename.put(v, dq);
    }

    /** The scalar scale and zero-point initializers of a root value, made once. */
    private String[] activationConstants(String root) {
        return activationConstants.computeIfAbsent(root, r -> {
            QuantParams p = params.get(r);
            if (p == null) {
                throw new IllegalStateException("no calibrated range for '" + r + "'");
            }
            String scale = addInitializer(TensorProtos.toProto(fresh(r + "_scale"), Tensor.scalar(p.scale())));
            String zero = addInitializer(TensorProto.newBuilder()
                    .setName(fresh(r + "_zero_point"))
                    .setDataType(p.type().onnxType())
                    .setRawData(ByteString.copyFrom(new byte[] {(byte) p.zeroPoint()}))
                    .build());
            return new String[] {scale, zero};
        });
    }

    private String addInitializer(TensorProto t) {
        initializers.put(t.getName(), t);
        return t.getName();
    }

    private String fresh(String base) {
        String candidate = base;
        for (int i = 2; !names.add(candidate); i++) {
            candidate = base + "_" + i;
        }
        return candidate;
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }
}
