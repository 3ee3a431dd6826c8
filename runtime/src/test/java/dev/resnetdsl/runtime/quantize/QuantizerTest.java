package dev.resnetdsl.runtime.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.Sessions;
import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.TinyNets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizerTest {
    private static final Network NET = TinyNets.tiny();
    private static final Preprocessing PREPROCESSING = new Preprocessing(
            Preprocessing.Resize.exact(),
            12,
            12,
            Preprocessing.ColorMode.RGB,
            Normalization.perChannel(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f}),
            List.of("a", "b", "c", "d", "e"));

    /** The tiny net (every layer kind: grouped conv, option-A and projection shortcuts) with BN kept. */
    private static ModelProto floatModel() {
        return OnnxExporter.export(
                TinyNets.randomWeights(NET, 3), ExportOptions.defaults().withPreprocessing(PREPROCESSING));
    }

    /** 32 images in batches of {@code batch}, the same images whatever the batching. */
    private static CalibrationData images(int batch) {
        Tensor all = TinyNets.randomInput(NET, 32, 11);
        int per = all.elements() / 32;
        List<Tensor> batches = new ArrayList<>();
        for (int first = 0; first < 32; first += batch) {
            float[] part = new float[batch * per];
            System.arraycopy(all.floats(), first * per, part, 0, part.length);
            batches.add(Tensor.ofFloats(new int[] {batch, 3, 12, 12}, part));
        }
        return CalibrationData.of(batches, "random images");
    }

    @Test
    void theInt8GraphIsStandardOnnxThatOnnxRuntimeRunsWithInt8Kernels(@TempDir Path dir) throws Exception {
        QuantizedModel q = Quantizer.quantize(floatModel(), images(8), QuantizeOptions.defaults());
        ModelProto m = q.model();
        Map<String, Integer> ops = opCounts(m);
        assertTrue(ops.get("QuantizeLinear") > 0 && ops.get("DequantizeLinear") > 0, ops.toString());
        assertFalse(ops.containsKey("BatchNormalization"), "BN is folded first: " + ops);
        for (NodeProto n : m.getGraph().getNodeList()) {
            assertEquals("", n.getDomain(), n.getOpType() + " must be a default-domain operator");
        }
        assertEquals(7, ops.get("Conv"));
        // Every convolution, add and pool runs in int8; the classifier stays float by default.
        assertEquals(7 + 2 + 2, q.report().int8Layers(), q.report().rows().toString());
        assertEquals(
                List.of("fc"),
                q.report().rows().stream()
                        .filter(r -> !r.int8())
                        .map(Int8Report.Row::node)
                        .toList());

        // ONNX Runtime's optimiser turns every int8 convolution into its QLinearConv kernel: none is left float.
        Path optimized = dir.resolve("optimized.onnx");
        try (OrtSession.SessionOptions options = Sessions.options(Device.CPU)) {
            options.setOptimizedModelFilePath(optimized.toString());
            Sessions.environment().createSession(m.toByteArray(), options).close();
        }
        Map<String, Integer> fused = opCounts(OnnxFiles.read(optimized));
        assertEquals(7, fused.getOrDefault("QLinearConv", 0), fused.toString());
        assertEquals(2, fused.getOrDefault("QLinearAdd", 0), fused.toString());
        assertFalse(fused.containsKey("Conv"), "a convolution runs in float: " + fused);

        try (Inference inference = Inference.open(m.toByteArray(), Device.CPU)) {
            assertEquals(
                    "F32[4, 5]", inference.run(TinyNets.randomInput(NET, 4, 5)).describe());
            assertEquals(PREPROCESSING, inference.preprocessing().orElseThrow(), "the preprocessing is kept");
        }
    }

    @Test
    void theMetadataRecordsTheCalibrationAndKeepsTheModelsOwn() throws IOException {
        ModelProto fp32 = floatModel();
        QuantizedModel q = Quantizer.quantize(
                fp32, images(8), QuantizeOptions.defaults().withMethod(CalibrationMethod.PERCENTILE));
        Map<String, String> meta = metadata(q.model());
        for (StringStringEntryProto e : fp32.getMetadataPropsList()) {
            assertEquals(e.getValue(), meta.get(e.getKey()), e.getKey() + " is kept");
        }
        QuantizationRecord r = QuantizationRecord.fromJson(meta.get(QuantizationRecord.METADATA_KEY));
        assertEquals(q.record(), r);
        assertEquals("percentile", r.method());
        assertEquals(QuantizeOptions.DEFAULT_PERCENTILE, r.percentile());
        assertEquals(32, r.images());
        assertEquals("random images", r.data());
        assertNull(r.seed(), "these images were not sampled");
        assertEquals("qdq", r.format());
        assertTrue(r.floatClassifier());
        assertEquals(r, Int8Report.of(q.model()).record(), "the report reads the record back from the file");
    }

    @Test
    void calibrationIsDeterministicWhateverTheBatching() throws IOException {
        for (CalibrationMethod method : CalibrationMethod.values()) {
            QuantizeOptions options = QuantizeOptions.defaults().withMethod(method);
            byte[] once =
                    Quantizer.quantize(floatModel(), images(8), options).model().toByteArray();
            byte[] again =
                    Quantizer.quantize(floatModel(), images(8), options).model().toByteArray();
            byte[] otherBatches =
                    Quantizer.quantize(floatModel(), images(2), options).model().toByteArray();
            assertArrayEquals(once, again, method + ": same images, same bytes");
            assertArrayEquals(once, otherBatches, method + ": the batching does not matter");
        }
    }

    @Test
    void aSmallOutputBudgetSplitsBatchesWithoutChangingTheResult() throws IOException {
        // One run per image (the budget in floats is smaller than an image's outputs) gives the same statistics.
        ModelGraph graph = ModelGraph.of(BatchNormFolding.fold(ModelGraph.of(floatModel())));
        List<String> values = QuantPlan.of(graph, QuantizeOptions.defaults()).calibrated();
        Calibrator.Result whole = Calibrator.collect(graph.model(), graph.input(), values, images(16), true, 1L << 30);
        Calibrator.Result split = Calibrator.collect(graph.model(), graph.input(), values, images(16), true, 1);
        assertEquals(32, split.images());
        for (String v : values) {
            TensorStatistics a = whole.statistics().get(v);
            TensorStatistics b = split.statistics().get(v);
            assertEquals(a.min(), b.min(), v);
            assertEquals(a.max(), b.max(), v);
            assertArrayEquals(a.histogram(), b.histogram(), v);
        }
    }

    @Test
    void qlinearConvAndQdqGiveTheSameLogits() throws IOException {
        ModelProto qdq = Quantizer.quantize(floatModel(), images(8), QuantizeOptions.defaults())
                .model();
        ModelProto qlinear = Quantizer.quantize(
                        floatModel(), images(8), QuantizeOptions.defaults().withFormat(OperatorFormat.QLINEAR))
                .model();
        assertEquals(7, opCounts(qlinear).get("QLinearConv"));
        assertFalse(opCounts(qlinear).containsKey("Conv"));
        Tensor x = TinyNets.randomInput(NET, 4, 5);
        try (Inference a = Inference.open(qdq.toByteArray(), Device.CPU);
                Inference b = Inference.open(qlinear.toByteArray(), Device.CPU)) {
            assertArrayEquals(a.run(x).floats(), b.run(x).floats(), 1e-5f);
        }
    }

    @Test
    void layersCanBeKeptInFloat() throws IOException {
        QuantizedModel q = Quantizer.quantize(
                floatModel(),
                images(8),
                QuantizeOptions.defaults()
                        .withFloatFirstConv(true)
                        .withFloatClassifier(false)
                        .withFloatNodes(java.util.Set.of("layer2.0.conv2")));
        Map<String, Boolean> int8 = new HashMap<>();
        q.report().rows().forEach(r -> int8.put(r.node(), r.int8()));
        assertFalse(int8.get("conv1"));
        assertFalse(int8.get("layer2.0.conv2"));
        assertTrue(int8.get("layer1.0.conv1"));
        assertTrue(int8.get("fc"), "the classifier runs in int8 when asked");
        try (Inference inference = Inference.open(q.model().toByteArray(), Device.CPU)) {
            assertEquals(
                    "F32[2, 5]", inference.run(TinyNets.randomInput(NET, 2, 5)).describe());
        }
    }

    @Test
    void int8ActivationsAreWrittenWithSignedZeroPoints() throws IOException {
        QuantizedModel q = Quantizer.quantize(
                floatModel(), images(8), QuantizeOptions.defaults().withActivations(ActivationType.INT8));
        assertEquals("int8, asymmetric, per tensor", q.record().activations());
        boolean signed = q.model().getGraph().getInitializerList().stream()
                .filter(t -> t.getName().endsWith("_zero_point") && t.getDimsCount() == 0)
                .allMatch(
                        t -> t.getDataType() == dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto.DataType.INT8_VALUE);
        assertTrue(signed);
        try (Inference inference = Inference.open(q.model().toByteArray(), Device.CPU)) {
            assertEquals(
                    "F32[2, 5]", inference.run(TinyNets.randomInput(NET, 2, 5)).describe());
        }
    }

    @Test
    void badInputIsRefusedWithAReason() throws IOException {
        ModelProto q = Quantizer.quantize(floatModel(), images(8), QuantizeOptions.defaults())
                .model();
        var again = assertThrows(
                IllegalArgumentException.class, () -> Quantizer.quantize(q, images(8), QuantizeOptions.defaults()));
        assertTrue(again.getMessage().startsWith("the model is already quantized"), again.getMessage());

        CalibrationData wrong = CalibrationData.of(List.of(Tensor.zeros(2, 3, 16, 16)), "wrong size");
        var shape = assertThrows(
                IllegalArgumentException.class,
                () -> Quantizer.quantize(floatModel(), wrong, QuantizeOptions.defaults()));
        assertEquals(
                "a calibration batch from wrong size is F32[2, 3, 16, 16], the model takes [N, 3, 12, 12]",
                shape.getMessage());

        var none = assertThrows(
                IllegalArgumentException.class,
                () -> Quantizer.quantize(
                        floatModel(), CalibrationData.of(List.of(), "nothing"), QuantizeOptions.defaults()));
        assertEquals("the calibration data (nothing) has no images", none.getMessage());
    }

    @Test
    void foldingBatchNormKeepsWhatTheModelComputes() throws IOException, OrtException {
        ModelProto fp32 = floatModel();
        ModelProto folded = BatchNormFolding.fold(ModelGraph.of(fp32));
        assertFalse(opCounts(folded).containsKey("BatchNormalization"));
        Tensor x = TinyNets.randomInput(NET, 3, 9);
        try (Inference a = Inference.open(fp32.toByteArray(), Device.CPU);
                Inference b = Inference.open(folded.toByteArray(), Device.CPU)) {
            float[] expected = a.run(x).floats();
            float[] actual = b.run(x).floats();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "logit " + i);
            }
        }
    }

    @Test
    void theReportOfAFloatModelHasNoInt8LayersAndTheSameMultiplyAccumulates() throws IOException {
        ModelProto fp32 = floatModel();
        Int8Report plain = Int8Report.of(fp32);
        assertFalse(plain.quantized());
        assertNull(plain.record());
        // conv1 8·12·12·3·9 + layer1.0.conv1 16·3·3·8·9 + conv2 16·3·3·16·9 + layer2.0.conv1 8·9·16
        // + conv2 (2 groups) 8·9·4·9 + conv3 24·9·8 + downsample 24·9·16 + fc 24·5
        long macs = 31_104 + 10_368 + 20_736 + 1_152 + 2_592 + 1_728 + 3_456 + 120;
        assertEquals(macs, plain.macs()[1]);
        Int8Report q =
                Quantizer.quantize(fp32, images(8), QuantizeOptions.defaults()).report();
        assertEquals(macs, q.macs()[1]);
        assertEquals(macs - 24 * 5, q.macs()[0], "all but the classifier's 24x5 multiply-accumulates run in int8");
    }

    private static Map<String, Integer> opCounts(ModelProto m) {
        Map<String, Integer> counts = new HashMap<>();
        for (NodeProto n : m.getGraph().getNodeList()) {
            counts.merge(n.getOpType(), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, String> metadata(ModelProto m) {
        Map<String, String> map = new HashMap<>();
        m.getMetadataPropsList().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }
}
