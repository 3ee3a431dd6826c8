package dev.resnetdsl.runtime.quantize;

import dev.resnetdsl.runtime.Versions;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static post-training quantization of a float ONNX image classifier into standard ONNX that ONNX Runtime's CPU
 * kernels run in int8:
 *
 * <ol>
 *   <li>BatchNormalization is folded into the convolutions ({@link BatchNormFolding});
 *   <li>the plan decides which nodes run in int8 and which values are stored in 8 bits ({@link QuantPlan});
 *   <li>the calibration images run through the float model in ONNX Runtime, and each stored value's range is
 *       chosen from its minimum, maximum and histogram ({@link Calibrator}, {@link RangeChooser});
 *   <li>weights become symmetric int8 per output channel, biases int32, and the graph gets its quantize /
 *       dequantize nodes ({@link QdqWriter}).
 * </ol>
 *
 * <p>The result keeps the model's input, output, opset and metadata (its {@code resnet.preprocessing} among them)
 * and adds {@link QuantizationRecord#METADATA_KEY}. The same model, images and options give the same bytes.
 *
 * <pre>{@code
 * ModelProto fp32 = OnnxFiles.read(Path.of("model.onnx"));
 * QuantizedModel q = Quantizer.quantize(fp32, calibration, QuantizeOptions.defaults());
 * OnnxFiles.write(q.model(), Path.of("model-int8.onnx"), -1);
 * }</pre>
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * Quantizes {@code model}.
     *
     * @param model a float model: one image input N×C×H×W, standard ONNX operators, opset 13 or newer
     * @param data the calibration images, preprocessed as the model expects
     * @throws IllegalArgumentException when the model cannot be quantized (already quantized, nothing to quantize,
     *     an unreadable graph) or a calibration batch does not fit it
     * @throws IOException when ONNX Runtime cannot run the float model
     */
    public static QuantizedModel quantize(ModelProto model, CalibrationData data, QuantizeOptions options)
            throws IOException {
        ModelGraph source = ModelGraph.of(model);
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("QuantizeLinear")
                    || n.getOpType().equals("DequantizeLinear")
                    || n.getOpType().startsWith("QLinear")) {
                throw new IllegalArgumentException("the model is already quantized (it has " + n.getOpType()
                        + " nodes); quantize the float model it came from");
            }
        }
        ModelProto folded = BatchNormFolding.fold(source);
        ModelGraph graph = ModelGraph.of(folded);
        QuantPlan plan = QuantPlan.of(graph, options);
        List<String> calibrated = plan.calibrated();
        if (calibrated.isEmpty()) {
            throw new IllegalArgumentException(
                    "the model has no layer that can run in int8 (convolutions, fully connected, residual adds)");
        }
        boolean histograms = options.method() != CalibrationMethod.MINMAX;
        Calibrator.Result seen = Calibrator.collect(folded, graph.input(), calibrated, data, histograms);
        Map<String, QuantParams> params = new LinkedHashMap<>();
        for (String v : calibrated) {
            double[] range = RangeChooser.range(seen.statistics().get(v), options.method(), options.percentile());
            params.put(v, QuantParams.covering(range[0], range[1], options.activations()));
        }
        ModelProto written = QdqWriter.write(plan, params, options.format());
        QuantizationRecord record = new QuantizationRecord(
                options.format().label(),
                "int8, symmetric, per output channel",
                options.activations().label() + ", asymmetric, per tensor",
                options.method().label(),
                options.method() == CalibrationMethod.PERCENTILE ? options.percentile() : null,
                seen.images(),
                data.seed().isPresent() ? data.seed().getAsLong() : null,
                data.description(),
                options.floatFirstConv(),
                options.floatClassifier(),
                new ArrayList<>(options.floatNodes()),
                "resnet-dsl " + Versions.RESNET_DSL);
        ModelProto.Builder out = written.toBuilder().clearMetadataProps();
        for (StringStringEntryProto e : written.getMetadataPropsList()) {
            if (!e.getKey().equals(QuantizationRecord.METADATA_KEY)) {
                out.addMetadataProps(e);
            }
        }
        out.addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey(QuantizationRecord.METADATA_KEY)
                .setValue(record.toJson()));
        String doc = written.getDocString();
        out.setDocString((doc.isEmpty() ? "" : doc + "; ") + "quantized to int8 ("
                + options.format().label() + ", " + options.activations().label() + " activations, "
                + options.method().label() + " calibration)");
        ModelProto result = out.build();
        return new QuantizedModel(result, Int8Report.of(result), record);
    }
}
