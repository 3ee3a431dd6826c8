package dev.resnetdsl.runtime.train;

import com.google.protobuf.ByteString;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A small builder for the ONNX graphs of the training bundle: nodes with attributes, constant
 * initializers, graph inputs and outputs with a symbolic batch dimension. It hands out fresh value
 * names so the graph writers can compose expressions like ordinary code.
 */
final class OnnxGraph {
    /** The opset the training graphs target. */
    static final int OPSET = 17;
    /** IR version 8 goes with opset 17. */
    static final int IR_VERSION = 8;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Map<String, String> constants = new HashMap<>();
    private int counter;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A fresh value name with a readable prefix. */
    String fresh(String prefix) {
        return prefix + "_" + (counter++);
    }

    /** Adds a node with one output named after {@code prefix}; returns that output. */
    String op(String opType, String prefix, String[] inputs, Object... attributes) {
        String out = fresh(prefix);
        opInto(opType, new String[] {out}, inputs, attributes);
        return out;
    }

    /** Adds a node writing the given outputs. Attributes come as name, value pairs. */
    void opInto(String opType, String[] outputs, String[] inputs, Object... attributes) {
        Onnx.NodeProto.Builder node =
                Onnx.NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + (counter++));
        for (String in : inputs) {
            node.addInput(in);
        }
        for (String out : outputs) {
            node.addOutput(out);
        }
        for (int i = 0; i < attributes.length; i += 2) {
            node.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
        }
        graph.addNode(node);
    }

    private static Onnx.AttributeProto attribute(String name, Object value) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name);
        if (value instanceof Integer || value instanceof Long) {
            a.setType(Onnx.AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof Float || value instanceof Double) {
            a.setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
        } else if (value instanceof long[] ints) {
            a.setType(Onnx.AttributeProto.AttributeType.INTS);
            for (long v : ints) {
                a.addInts(v);
            }
        } else if (value instanceof int[] ints) {
            a.setType(Onnx.AttributeProto.AttributeType.INTS);
            for (int v : ints) {
                a.addInts(v);
            }
        } else if (value instanceof String s) {
            a.setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + " = " + value);
        }
        return a.build();
    }

    /** A 1-D int64 constant (deduplicated). */
    String ints(long... values) {
        StringBuilder key = new StringBuilder("i");
        for (long v : values) {
            key.append(',').append(v);
        }
        return constants.computeIfAbsent(key.toString(), k -> {
            String name = fresh("const_i64");
            Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder()
                    .setName(name)
                    .setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length);
            for (long v : values) {
                t.addInt64Data(v);
            }
            graph.addInitializer(t);
            return name;
        });
    }

    /** A float scalar constant (deduplicated). */
    String scalar(float value) {
        return constants.computeIfAbsent("f" + Float.floatToIntBits(value), k -> {
            String name = fresh("const_f32");
            graph.addInitializer(Onnx.TensorProto.newBuilder()
                    .setName(name)
                    .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                    .addFloatData(value));
            return name;
        });
    }

    /** A float constant of the given shape, stored as raw little-endian data. */
    String floats(String prefix, long[] shape, float[] values) {
        String name = fresh(prefix);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        raw.flip();
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder()
                .setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(raw));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Declares a graph input; a negative dimension becomes the symbolic {@code N}. */
    void input(String name, int elemType, long... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
    }

    /** Declares a graph output; a negative dimension becomes the symbolic {@code N}. */
    void output(String name, int elemType, long... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    private static Onnx.ValueInfoProto valueInfo(String name, int elemType, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            if (d < 0) {
                shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
            } else {
                shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
        }
        return Onnx.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                                .setElemType(elemType)
                                .setShape(shape)))
                .build();
    }

    /** The finished model. */
    Onnx.ModelProto model(String docString, Map<String, String> metadata) {
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("resnet-dsl")
                .setProducerVersion(TrainingGraphs.VERSION)
                .setDocString(docString)
                .addOpsetImport(
                        Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(
                Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }
}
