package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.onnx.TensorProtos;
import dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which layers of a model run in int8, read from the graph itself (so it works on any file, not only on what this
 * process just quantized): a Conv or Gemm whose data and weight both come from {@code DequantizeLinear} (weights
 * of an int8 initializer), or a {@code QLinearConv}; an Add or average pool between {@code DequantizeLinear} inputs
 * and a {@code QuantizeLinear} output (through a Relu); a MaxPool between the two moves 8-bit values. Multiply-
 * accumulates per image are worked out by following shapes from the input through the operators ResNets use (null
 * when the graph has another operator on the way).
 *
 * @param rows one per convolution, fully connected layer, residual add and pooling, in graph order
 * @param record the model's {@link QuantizationRecord}, or null when it has none
 */
public record Int8Report(List<Row> rows, QuantizationRecord record) {
    /**
     * One layer.
     *
     * @param node the node's name
     * @param op its operator ({@code Conv}, {@code QLinearConv}, {@code Gemm}, {@code Add}, …)
     * @param int8 whether it runs on 8-bit values
     * @param macs multiply-accumulates per image (convolutions and fully connected), 0 for others, −1 when unknown
     */
    public record Row(String node, String op, boolean int8, long macs) {}

    public Int8Report {
        rows = List.copyOf(rows);
    }

    /** The report of {@code model}. */
    public static Int8Report of(ModelProto model) {
        Map<String, NodeProto> producers = new HashMap<>();
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            for (String out : n.getOutputList()) {
                producers.put(out, n);
            }
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        Shapes shapes = new Shapes(model, producers, initializers);
        List<Row> rows = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            long macs = shapes.walk(n);
            String name = layerName(n, producers);
            switch (n.getOpType()) {
                case "QLinearConv" -> rows.add(new Row(name, n.getOpType(), true, macs));
                case "Conv", "Gemm", "MatMul" -> {
                    boolean int8 = isDequantized(n.getInput(0), producers)
                            && isInt8Weight(n.getInput(1), producers, initializers);
                    rows.add(new Row(name, n.getOpType(), int8, macs));
                }
                case "Add", "GlobalAveragePool", "AveragePool", "MaxPool" -> {
                    boolean int8 = n.getInputList().stream()
                                    .filter(in -> !initializers.containsKey(in))
                                    .allMatch(in -> isDequantized(in, producers))
                            && isQuantizedAfter(n.getOutput(0), consumers);
                    rows.add(new Row(name, n.getOpType(), int8, 0));
                }
                default -> {}
            }
        }
        QuantizationRecord record = null;
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(QuantizationRecord.METADATA_KEY)) {
                record = QuantizationRecord.fromJson(e.getValue());
            }
        }
        return new Int8Report(rows, record);
    }

    /** Rows that run in int8. */
    public long int8Layers() {
        return rows.stream().filter(Row::int8).count();
    }

    /** Multiply-accumulates per image in int8 layers and in all; −1 when some are unknown. */
    public long[] macs() {
        long int8 = 0;
        long all = 0;
        for (Row r : rows) {
            if (r.macs() < 0) {
                return new long[] {-1, -1};
            }
            all += r.macs();
            if (r.int8()) {
                int8 += r.macs();
            }
        }
        return new long[] {int8, all};
    }

    /** True when any layer runs in int8. */
    public boolean quantized() {
        return rows.stream().anyMatch(Row::int8);
    }

    /**
     * A convolution or fully connected layer is named after its weight ({@code fc.weight} → {@code fc}, through
     * its DequantizeLinear), so the names are torchvision's whatever the nodes are called; others by node name.
     */
    private static String layerName(NodeProto n, Map<String, NodeProto> producers) {
        String fallback = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        int weightInput =
                switch (n.getOpType()) {
                    case "Conv", "Gemm", "MatMul" -> 1;
                    case "QLinearConv" -> 3;
                    default -> -1;
                };
        if (weightInput < 0 || n.getInputCount() <= weightInput) {
            return fallback;
        }
        String w = n.getInput(weightInput);
        NodeProto p = producers.get(w);
        if (p != null && p.getOpType().equals("DequantizeLinear")) {
            w = p.getInput(0);
        }
        w = w.endsWith(QdqWriter.QUANTIZED) ? w.substring(0, w.length() - QdqWriter.QUANTIZED.length()) : w;
        return w.endsWith(".weight") ? w.substring(0, w.length() - ".weight".length()) : fallback;
    }

    private static boolean isDequantized(String value, Map<String, NodeProto> producers) {
        NodeProto p = producers.get(value);
        return p != null && p.getOpType().equals("DequantizeLinear");
    }

    private static boolean isInt8Weight(
            String value, Map<String, NodeProto> producers, Map<String, TensorProto> initializers) {
        NodeProto p = producers.get(value);
        if (p == null || !p.getOpType().equals("DequantizeLinear")) {
            return false;
        }
        TensorProto w = initializers.get(p.getInput(0));
        return w != null
                && (w.getDataType() == TensorProto.DataType.INT8_VALUE
                        || w.getDataType() == TensorProto.DataType.UINT8_VALUE);
    }

    /** The value goes into a QuantizeLinear, directly or through a Relu. */
    private static boolean isQuantizedAfter(String value, Map<String, List<NodeProto>> consumers) {
        List<NodeProto> readers = consumers.getOrDefault(value, List.of());
        if (readers.size() != 1) {
            return false;
        }
        NodeProto r = readers.get(0);
        if (r.getOpType().equals("Relu")) {
            return isQuantizedAfter(r.getOutput(0), consumers);
        }
        return r.getOpType().equals("QuantizeLinear");
    }

    /** Follows [C, H, W] (batch left out) from the graph input, and counts multiply-accumulates. */
    private static final class Shapes {
        private final Map<String, long[]> shapes = new HashMap<>();
        private final Map<String, NodeProto> producers;
        private final Map<String, TensorProto> initializers;

        Shapes(ModelProto model, Map<String, NodeProto> producers, Map<String, TensorProto> initializers) {
            this.producers = producers;
            this.initializers = initializers;
            for (ValueInfoProto v : model.getGraph().getInputList()) {
                if (initializers.containsKey(v.getName())) {
                    continue;
                }
                var dims = v.getType().getTensorType().getShape().getDimList();
                long[] s = new long[Math.max(0, dims.size() - 1)];
                for (int i = 1; i < dims.size(); i++) {
                    s[i - 1] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
                }
                shapes.put(v.getName(), s);
            }
        }

        /** Records the node's output shape (when it can) and returns its MACs per image (−1 unknown, 0 none). */
        long walk(NodeProto n) {
            long[] in = n.getInputCount() > 0 ? shapes.get(n.getInput(0)) : null;
            long[] out = null;
            long macs = 0;
            switch (n.getOpType()) {
                case "Conv", "QLinearConv" -> {
                    long[] w = constantDims(n.getInput(n.getOpType().equals("Conv") ? 1 : 3));
                    if (in != null && w != null && w.length == 4 && in.length == 3) {
                        long[] k = {w[2], w[3]};
                        long oh = window(in[1], k[0], n, 0);
                        long ow = window(in[2], k[1], n, 1);
                        out = new long[] {w[0], oh, ow};
                        macs = w[0] * oh * ow * w[1] * w[2] * w[3];
                    } else {
                        macs = -1;
                    }
                }
                case "MaxPool", "AveragePool" -> {
                    long[] k = ints(n, "kernel_shape");
                    if (in != null && in.length == 3 && k != null && k.length == 2) {
                        out = new long[] {in[0], window(in[1], k[0], n, 0), window(in[2], k[1], n, 1)};
                    }
                }
                case "GlobalAveragePool" -> out = in == null ? null : new long[] {in[0], 1, 1};
                case "Flatten" -> {
                    if (in != null) {
                        long p = 1;
                        for (long d : in) {
                            p *= d;
                        }
                        out = new long[] {p};
                    }
                }
                case "Gemm", "MatMul" -> {
                    long[] w = constantDims(n.getInput(1));
                    if (w != null && w.length == 2) {
                        boolean transB = n.getOpType().equals("Gemm") && intAttribute(n, "transB") == 1;
                        long outFeatures = transB ? w[0] : w[1];
                        out = new long[] {outFeatures};
                        macs = w[0] * w[1];
                    } else {
                        macs = -1;
                    }
                }
                case "Slice" -> out = slice(n, in);
                case "Pad" -> out = pad(n, in);
                case "Relu", "Add", "QuantizeLinear", "DequantizeLinear", "Identity", "BatchNormalization" -> out = in;
                default -> {}
            }
            if (out != null) {
                shapes.put(n.getOutput(0), out);
            }
            return macs;
        }

        private long window(long size, long kernel, NodeProto n, int axis) {
            long[] strides = ints(n, "strides");
            long[] pads = ints(n, "pads");
            long[] dilations = ints(n, "dilations");
            long s = strides == null ? 1 : strides[axis];
            long p = pads == null ? 0 : pads[axis] + pads[axis + 2];
            long d = dilations == null ? 1 : dilations[axis];
            return (size + p - d * (kernel - 1) - 1) / s + 1;
        }

        private long[] slice(NodeProto n, long[] in) {
            long[] starts = constantLongs(n, 1);
            long[] ends = constantLongs(n, 2);
            long[] axes = constantLongs(n, 3);
            long[] steps = constantLongs(n, 4);
            if (in == null || starts == null || ends == null) {
                return null;
            }
            long[] out = in.clone();
            for (int i = 0; i < starts.length; i++) {
                int axis = (int) (axes == null ? i : axes[i]) - 1;
                if (axis < 0 || axis >= in.length) {
                    return null;
                }
                long step = steps == null ? 1 : steps[i];
                long start = Math.max(0, Math.min(in[axis], starts[i] < 0 ? starts[i] + in[axis] : starts[i]));
                long end = Math.max(0, Math.min(in[axis], ends[i] < 0 ? ends[i] + in[axis] : ends[i]));
                out[axis] = step > 0 ? Math.max(0, (end - start + step - 1) / step) : -1;
            }
            return out;
        }

        private long[] pad(NodeProto n, long[] in) {
            long[] pads = constantLongs(n, 1);
            if (in == null || pads == null || pads.length != 2 * (in.length + 1)) {
                return null;
            }
            int rank = in.length + 1;
            long[] out = in.clone();
            for (int i = 0; i < in.length; i++) {
                out[i] += pads[i + 1] + pads[i + 1 + rank];
            }
            return out;
        }

        private long[] constantLongs(NodeProto n, int index) {
            if (n.getInputCount() <= index || !initializers.containsKey(n.getInput(index))) {
                return null;
            }
            TensorProto t = initializers.get(n.getInput(index));
            if (t.getDataType() != TensorProto.DataType.INT64_VALUE) {
                return null;
            }
            return TensorProtos.fromProto(t).longs();
        }

        /** Dims of a constant, directly or behind a DequantizeLinear. */
        private long[] constantDims(String value) {
            TensorProto t = initializers.get(value);
            if (t == null) {
                NodeProto p = producers.get(value);
                if (p != null && p.getOpType().equals("DequantizeLinear")) {
                    t = initializers.get(p.getInput(0));
                }
            }
            if (t == null) {
                return null;
            }
            return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        }

        private static long[] ints(NodeProto n, String name) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals(name)) {
                    return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                }
            }
            return null;
        }

        private static long intAttribute(NodeProto n, String name) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals(name)) {
                    return a.getI();
                }
            }
            return 0;
        }
    }
}
