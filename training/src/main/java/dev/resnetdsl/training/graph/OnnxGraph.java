package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.onnx.GraphBuilder;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Expression-style front end on the runtime's {@link GraphBuilder} for the training graphs: one call adds a
 * node and returns its (fresh) output name, attributes come as name/value pairs, and small constants are
 * deduplicated, so that the forward and backward writers read like the math they implement.
 */
final class OnnxGraph {
    /** The opset the training graphs target. */
    static final int OPSET = 17;
    /** The IR version that goes with {@link #OPSET}. */
    static final int IR_VERSION = (int) GraphBuilder.irVersionFor(OPSET);

    private final GraphBuilder graph;
    private final Map<String, String> constants = new HashMap<>();

    OnnxGraph(String name) {
        this(new GraphBuilder(name));
    }

    private OnnxGraph(GraphBuilder graph) {
        this.graph = graph;
    }

    /**
     * A graph nested in this one (a Scan body): its value names never collide with this graph's, and it may read
     * this graph's values by name. Its constants are its own.
     */
    OnnxGraph subgraph(String name) {
        return new OnnxGraph(graph.subgraph(name));
    }

    /** Adds a node with {@code count} outputs named after {@code prefix}; returns them. */
    String[] ops(String opType, String prefix, int count, String[] inputs, Object... attributes) {
        GraphBuilder.Node node = withAttributes(graph.node(opType, inputs), attributes);
        String[] outputs = new String[count];
        for (int i = 0; i < count; i++) {
            outputs[i] = node.output(prefix);
        }
        return outputs;
    }

    /**
     * Adds a {@code Scan} node running {@code body} over the first axis of its last {@code scanInputs} inputs
     * (the others are the loop-carried state); returns its outputs (final states, then the stacked scan outputs).
     *
     * @param inputDirections per scan input, 0 to go from the first row to the last, 1 the other way round
     * @param outputDirections per scan output, 0 to append each iteration's row, 1 to prepend it
     */
    String[] scan(
            String prefix,
            OnnxGraph body,
            String[] inputs,
            int scanInputs,
            int[] inputDirections,
            int outputCount,
            int[] outputDirections) {
        GraphBuilder.Node node = graph.node("Scan", inputs)
                .attr("num_scan_inputs", scanInputs)
                .attr(Onnx.AttributeProto.newBuilder()
                        .setName("body")
                        .setType(Onnx.AttributeProto.AttributeType.GRAPH)
                        .setG(body.graph.graph())
                        .build());
        withAttributes(node, "scan_input_directions", inputDirections);
        if (outputDirections.length > 0) {
            withAttributes(node, "scan_output_directions", outputDirections);
        }
        String[] outputs = new String[outputCount];
        for (int i = 0; i < outputCount; i++) {
            outputs[i] = node.output(prefix);
        }
        return outputs;
    }

    /** A fresh value name, for a value whose producer (here, a graph input) is declared later. */
    String reserve(String prefix) {
        return graph.uniqueName(prefix);
    }

    /** Declares a graph input under a name from {@link #reserve}; a negative dimension becomes {@code N}. */
    void inputReserved(String name, DType type, long... dims) {
        graph.inputReserved(name, type, dims(dims));
    }

    /** Adds a node with one output named after {@code prefix}; returns that output. */
    String op(String opType, String prefix, String[] inputs, Object... attributes) {
        return withAttributes(graph.node(opType, inputs), attributes).output(prefix);
    }

    /** Adds a node writing exactly the given outputs. Attributes come as name, value pairs. */
    void opInto(String opType, String[] outputs, String[] inputs, Object... attributes) {
        withAttributes(graph.node(opType, inputs), attributes).outputs(outputs);
    }

    private static GraphBuilder.Node withAttributes(GraphBuilder.Node node, Object... attributes) {
        for (int i = 0; i < attributes.length; i += 2) {
            String name = (String) attributes[i];
            Object value = attributes[i + 1];
            if (value instanceof Integer || value instanceof Long) {
                node.attr(name, ((Number) value).longValue());
            } else if (value instanceof Float || value instanceof Double) {
                node.attr(name, ((Number) value).floatValue());
            } else if (value instanceof int[] ints) {
                long[] longs = new long[ints.length];
                for (int j = 0; j < ints.length; j++) {
                    longs[j] = ints[j];
                }
                node.attr(name, longs);
            } else if (value instanceof String s) {
                node.attr(name, s);
            } else {
                throw new IllegalArgumentException("unsupported attribute " + name + " = " + value);
            }
        }
        return node;
    }

    /** A 1-D int64 constant (deduplicated). */
    String ints(long... values) {
        StringBuilder key = new StringBuilder("i");
        for (long v : values) {
            key.append(',').append(v);
        }
        return constants.computeIfAbsent(key.toString(), k -> graph.int64s("const_i64", values));
    }

    /** A float scalar constant (deduplicated). */
    String scalar(float value) {
        return constants.computeIfAbsent(
                "f" + Float.floatToIntBits(value), k -> graph.constant("const_f32", Tensor.scalar(value)));
    }

    /** A float constant of the given shape. */
    String floats(String prefix, int[] shape, float[] values) {
        return graph.constant(prefix, Tensor.ofFloats(shape, values));
    }

    /** Declares a graph input; a negative dimension becomes the symbolic {@code N}. */
    void input(String name, DType type, long... dims) {
        graph.input(name, type, dims(dims));
    }

    /** Declares a graph output; a negative dimension becomes the symbolic {@code N}. */
    void output(String name, DType type, long... dims) {
        graph.output(name, type, dims(dims));
    }

    private static Object[] dims(long... dims) {
        Object[] out = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[i] < 0 ? (Object) "N" : (Object) dims[i];
        }
        return out;
    }

    /** The finished model. */
    Onnx.ModelProto model(String docString, Map<String, String> metadata) {
        graph.producer("resnet-dsl", TrainingGraphs.VERSION).modelDoc(docString);
        metadata.forEach(graph::metadata);
        return graph.model(OPSET);
    }
}
