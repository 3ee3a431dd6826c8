package dev.resnetdsl.runtime.testing;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TypeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Exported {@link TinyNets#tiny()} models (5 classes) with one part edited so that they disagree with themselves,
 * as a hand-edited or badly converted model file would.
 */
public final class BrokenModels {
    private BrokenModels() {}

    /** The tiny model as exported. */
    public static ModelProto tiny() {
        Network net = TinyNets.tiny();
        return OnnxExporter.export(TinyNets.randomWeights(net, 1), ExportOptions.defaults());
    }

    /** fc computes {@code classes} logits while the graph still declares 5. */
    public static ModelProto fcWithClasses(int classes) {
        ModelProto m = tiny();
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getName().equals("fc.weight")) {
                g.setInitializer(i, zeros(t, classes, (int) t.getDims(1)));
            } else if (t.getName().equals("fc.bias")) {
                g.setInitializer(i, zeros(t, classes));
            }
        }
        return m.toBuilder().setGraph(g).build();
    }

    /** fc's bias has {@code length} values for 5 classes: ONNX Runtime loads the model and fails when it runs. */
    public static ModelProto fcBiasOfLength(int length) {
        ModelProto m = tiny();
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals("fc.bias")) {
                g.setInitializer(i, zeros(g.getInitializer(i), length));
            }
        }
        return m.toBuilder().setGraph(g).build();
    }

    /** A second graph input, as a training graph has (labels, parameters). */
    public static ModelProto withExtraInput(String name) {
        ModelProto m = tiny();
        ValueInfoProto labels = ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.INT64_VALUE)))
                .build();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().addInput(labels)).build();
    }

    private static TensorProto zeros(TensorProto like, int... dims) {
        long n = 1;
        TensorProto.Builder t = like.toBuilder().clearDims().clearFloatData();
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) (4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        return t.setRawData(com.google.protobuf.ByteString.copyFrom(bytes.array()))
                .build();
    }
}
