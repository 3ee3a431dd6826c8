package dev.resnetdsl.runtime.onnx;

import dev.resnetdsl.runtime.Versions;
import dev.resnetdsl.runtime.inference.OutputKind;
import dev.resnetdsl.runtime.io.MemoryBudget;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkMetadata;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Network} with its weights as a standard ONNX inference model: input {@code input}
 * [N, C, H, W] (N symbolic), output {@code logits} [N, classes], initializers under the network's
 * (torchvision) parameter names, one node per layer, named after the activation it writes.
 *
 * <p>Layers map onto ONNX operators as follows: Conv → {@code Conv}; BatchNorm → {@code BatchNormalization}
 * in inference form (or folded into the preceding Conv, which then gets a bias {@code <conv>.bias}, when
 * {@link ExportOptions#foldBn()}); ReLU → {@code Relu}; MaxPool → {@code MaxPool}; Add → {@code Add}; the
 * option-A shortcut → {@code Slice} with steps (every stride-th row and column) then {@code Pad} with zeros on
 * the channel axis; global average pooling → {@code GlobalAveragePool}; fully connected → {@code Flatten} and
 * {@code Gemm} (transB = 1, as torchvision's export).
 */
public final class OnnxExporter {
    /** The symbolic batch dimension's name. */
    public static final String BATCH = "N";

    private OnnxExporter() {}

    /** The ONNX model of {@code weights}' network. */
    public static ModelProto export(Weights weights, ExportOptions options) {
        return export(weights.network(), weights.asMap(), options);
    }

    private static ModelProto export(Network network, Map<String, Tensor> weights, ExportOptions options) {
        GraphBuilder g = new GraphBuilder(network.name());
        g.producer("resnet-dsl", Versions.RESNET_DSL);
        var in = network.input();
        g.input("input", DType.F32, BATCH, in.channels(), in.height(), in.width());

        Map<String, Layer.BatchNorm> foldInto = options.foldBn() ? foldableBatchNorms(network) : Map.of();
        Set<Layer.BatchNorm> folded = new HashSet<>(foldInto.values());
        LayerExport export = new LayerExport(g, weights, foldInto, folded);
        for (Layer layer : network.layers()) {
            layer.accept(export);
        }
        var o = network.output();
        if (export.isMatrix(o.name())) {
            g.output(o.name(), DType.F32, BATCH, o.channels());
        } else {
            g.output(o.name(), DType.F32, BATCH, o.channels(), o.height(), o.width());
        }
        network.metadata().forEach(g::metadata);
        g.metadata(OutputKind.METADATA_KEY, OutputKind.LOGITS.metadataValue());
        g.metadata(NetworkMetadata.STRUCTURE_HASH, network.structureHash());
        if (options.preprocessing() != null) {
            Preprocessing p = options.preprocessing();
            if (p.channels() != in.channels() || p.height() != in.height() || p.width() != in.width()) {
                throw new IllegalArgumentException("the preprocessing makes " + p.channels() + "x" + p.height() + "x"
                        + p.width() + " inputs, " + network.name() + " takes " + in.shapeString());
            }
            g.metadata(Preprocessing.METADATA_KEY, p.toJson());
        }
        options.metadata().forEach(g::metadata);
        String doc = options.docString().isEmpty()
                ? network.name() + " (ResNet DSL export): input 'input' float32 [N, " + in.channels() + ", "
                        + in.height() + ", " + in.width() + "], output 'logits' float32 [N, " + network.classes()
                        + "]" + (options.foldBn() ? "; BatchNormalization folded into the convolutions" : "")
                : options.docString();
        g.modelDoc(doc).graphDoc(doc);
        return g.model(options.opset());
    }

    /**
     * Exports and writes atomically to {@code file} (plus an external data file when needed).
     *
     * @throws IllegalArgumentException when the JVM's heap cannot hold the model's protobuf and its serialised
     *     bytes (two more copies of the weights) next to the weights, before building either
     */
    public static void write(Weights weights, ExportOptions options, Path file) throws IOException {
        MemoryBudget.require(
                2 * Weights.bytes(weights.network()),
                String.format(
                        java.util.Locale.ROOT,
                        "exporting %s (%,d parameters) to ONNX",
                        weights.network().name(),
                        weights.network().trainableParameterCount()));
        OnnxFiles.write(export(weights, options), file, options.externalDataThreshold());
    }

    private static void conv(GraphBuilder g, Layer.Conv c, String weight, String bias, String out) {
        GraphBuilder.Node n = bias == null
                ? g.node("Conv", c.input().name(), weight)
                : g.node("Conv", c.input().name(), weight, bias);
        n.name(out)
                .attr("kernel_shape", c.kernel(), c.kernel())
                .attr("strides", c.stride(), c.stride())
                .attr("pads", c.padding(), c.padding(), c.padding(), c.padding())
                .attr("group", c.groups())
                .doc(c.name() + ": " + c.kernel() + "x" + c.kernel() + " conv, stride " + c.stride() + ", "
                        + c.input().channels() + " → " + c.output().channels() + " channels"
                        + (c.groups() == 1 ? "" : ", " + c.groups() + " groups")
                        + (bias == null ? "" : " (batch norm folded in)"))
                .output(out, true);
    }

    private static void zeroPadShortcut(GraphBuilder g, Layer.ZeroPadShortcut z) {
        String out = z.output().name();
        String x = z.input().name();
        int extra = z.output().channels() - z.input().channels();
        if (z.stride() > 1) {
            String target = extra > 0 ? out + ".subsample" : out;
            g.node(
                            "Slice",
                            x,
                            g.int64s(out + ".starts", 0, 0),
                            g.int64s(out + ".ends", Long.MAX_VALUE, Long.MAX_VALUE),
                            g.int64s(out + ".axes", 2, 3),
                            g.int64s(out + ".steps", z.stride(), z.stride()))
                    .name(target)
                    .doc("option-A shortcut: rows and columns 0, " + z.stride() + ", " + 2 * z.stride() + ", …")
                    .output(target, true);
            x = target;
        }
        if (extra > 0 || z.stride() == 1) {
            g.node("Pad", x, g.int64s(out + ".pads", 0, 0, 0, 0, 0, extra, 0, 0))
                    .name(out)
                    .attr("mode", "constant")
                    .doc("option-A shortcut: " + extra + " zero channels after the input's "
                            + z.input().channels())
                    .output(out, true);
        }
    }

    /** BNs that directly and exclusively follow a conv, by conv name. */
    private static Map<String, Layer.BatchNorm> foldableBatchNorms(Network network) {
        Map<String, Integer> readers = new HashMap<>();
        for (Layer layer : network.layers()) {
            for (var a : layer.inputs()) {
                readers.merge(a.name(), 1, Integer::sum);
            }
        }
        Map<String, Layer.Conv> convByOutput = new HashMap<>();
        for (Layer.Conv c : network.layers(Layer.Conv.class)) {
            convByOutput.put(c.output().name(), c);
        }
        Map<String, Layer.BatchNorm> result = new HashMap<>();
        for (Layer.BatchNorm bn : network.layers(Layer.BatchNorm.class)) {
            Layer.Conv c = convByOutput.get(bn.input().name());
            if (c != null && readers.get(c.output().name()) == 1) {
                result.put(c.name(), bn);
            }
        }
        return result;
    }

    /** Conv weight and bias with the BN applied: w·γ/√(var+ε), β − mean·γ/√(var+ε), in double precision. */
    static Tensor[] fold(Tensor weight, Map<String, Tensor> weights, Layer.BatchNorm bn) {
        float[] gamma = weights.get(bn.weight()).floats();
        float[] beta = weights.get(bn.bias()).floats();
        float[] mean = weights.get(bn.runningMean()).floats();
        float[] var = weights.get(bn.runningVar()).floats();
        int out = weight.dim(0);
        int per = weight.elements() / out;
        float[] w = weight.floats();
        float[] fw = new float[w.length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) var[o] + Layer.BatchNorm.EPSILON);
            for (int i = o * per; i < (o + 1) * per; i++) {
                fw[i] = (float) (w[i] * scale);
            }
            fb[o] = (float) (beta[o] - mean[o] * scale);
        }
        return new Tensor[] {Tensor.ofFloats(weight.shape(), fw), Tensor.ofFloats(new int[] {out}, fb)};
    }

    /** Writes each layer as ONNX nodes (one node per layer, two for fully connected, none for a folded BN). */
    private static final class LayerExport implements Layer.Visitor<Void> {
        private final GraphBuilder g;
        private final Map<String, Tensor> weights;
        private final Map<String, Layer.BatchNorm> foldInto;
        private final Set<Layer.BatchNorm> folded;
        /** Outputs that are [N, features] matrices rather than N×C×H×W tensors. */
        private final Set<String> matrices = new HashSet<>();

        LayerExport(
                GraphBuilder g,
                Map<String, Tensor> weights,
                Map<String, Layer.BatchNorm> foldInto,
                Set<Layer.BatchNorm> folded) {
            this.g = g;
            this.weights = weights;
            this.foldInto = foldInto;
            this.folded = folded;
        }

        boolean isMatrix(String activation) {
            return matrices.contains(activation);
        }

        @Override
        public Void conv(Layer.Conv c) {
            Layer.BatchNorm bn = foldInto.get(c.name());
            if (bn != null) {
                Tensor[] wb = fold(weights.get(c.weight()), weights, bn);
                OnnxExporter.conv(
                        g,
                        c,
                        g.initializer(c.weight(), wb[0]),
                        g.initializer(c.name() + ".bias", wb[1]),
                        bn.output().name());
            } else {
                OnnxExporter.conv(
                        g,
                        c,
                        g.initializer(c.weight(), weights.get(c.weight())),
                        null,
                        c.output().name());
            }
            return null;
        }

        @Override
        public Void batchNorm(Layer.BatchNorm bn) {
            if (folded.contains(bn)) {
                return null;
            }
            String out = bn.output().name();
            g.node(
                            "BatchNormalization",
                            bn.input().name(),
                            g.initializer(bn.weight(), weights.get(bn.weight())),
                            g.initializer(bn.bias(), weights.get(bn.bias())),
                            g.initializer(bn.runningMean(), weights.get(bn.runningMean())),
                            g.initializer(bn.runningVar(), weights.get(bn.runningVar())))
                    .name(out)
                    .attr("epsilon", (float) Layer.BatchNorm.EPSILON)
                    .doc(bn.name() + ": batch norm (inference: running statistics)")
                    .output(out, true);
            return null;
        }

        @Override
        public Void relu(Layer.Relu r) {
            String out = r.output().name();
            g.node("Relu", r.input().name()).name(out).output(out, true);
            return null;
        }

        @Override
        public Void maxPool(Layer.MaxPool m) {
            String out = m.output().name();
            g.node("MaxPool", m.input().name())
                    .name(out)
                    .attr("kernel_shape", m.kernel(), m.kernel())
                    .attr("strides", m.stride(), m.stride())
                    .attr("pads", m.padding(), m.padding(), m.padding(), m.padding())
                    .doc(m.kernel() + "x" + m.kernel() + " max-pool, stride " + m.stride())
                    .output(out, true);
            return null;
        }

        @Override
        public Void add(Layer.Add a) {
            String out = a.output().name();
            g.node("Add", a.left().name(), a.right().name()).name(out).output(out, true);
            return null;
        }

        @Override
        public Void zeroPadShortcut(Layer.ZeroPadShortcut z) {
            OnnxExporter.zeroPadShortcut(g, z);
            return null;
        }

        @Override
        public Void globalAvgPool(Layer.GlobalAvgPool p) {
            String out = p.output().name();
            g.node("GlobalAveragePool", p.input().name()).name(out).output(out, true);
            return null;
        }

        @Override
        public Void fullyConnected(Layer.FullyConnected f) {
            String out = f.output().name();
            String flat = g.node("Flatten", f.input().name())
                    .name(out + ".flatten")
                    .attr("axis", 1)
                    .output(f.input().name() + ".flatten");
            g.node(
                            "Gemm",
                            flat,
                            g.initializer(f.weight(), weights.get(f.weight())),
                            g.initializer(f.bias(), weights.get(f.bias())))
                    .name(out)
                    .attr("transB", 1)
                    .doc(f.name() + ": fully connected " + f.input().elements() + " → "
                            + f.output().channels())
                    .output(out, true);
            matrices.add(out);
            return null;
        }
    }
}
