package dev.resnetdsl.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.inference.OutputKind;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.preprocess.Normalization;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.ReferenceForward;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {
    @TempDir
    Path dir;

    private final Network net = TinyNets.tiny();
    private final Weights weights = TinyNets.randomWeights(net, 7);
    private final Tensor input = TinyNets.randomInput(net, 3, 11);

    @Test
    void exportedModelMatchesTheReferenceForwardPassInOnnxRuntime() throws IOException {
        ModelProto model = OnnxExporter.export(weights, ExportOptions.defaults());
        assertClose(ReferenceForward.logits(weights, input), run(model.toByteArray()), 1e-4);
    }

    @Test
    void foldedBatchNormGivesTheSameLogitsWithoutBatchNormNodes() throws IOException {
        ModelProto model = OnnxExporter.export(weights, ExportOptions.defaults().withFoldBn(true));
        assertFalse(model.getGraph().getNodeList().stream()
                .anyMatch(n -> n.getOpType().equals("BatchNormalization")));
        assertTrue(initializerNames(model).containsKey("layer1.0.conv1.bias"));
        assertClose(ReferenceForward.logits(weights, input), run(model.toByteArray()), 1e-4);
    }

    @Test
    void interfaceNamesOpsetMetadataAndInitializerNamesFollowTheContract() {
        ModelProto model = OnnxExporter.export(
                weights, ExportOptions.defaults().withOpset(13).withMetadata(Map.of("spec_hash", "abc")));
        assertEquals(7, model.getIrVersion());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        var in = model.getGraph().getInput(0);
        assertEquals("input", in.getName());
        assertEquals("N", in.getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(12, in.getType().getTensorType().getShape().getDim(3).getDimValue());
        var out = model.getGraph().getOutput(0);
        assertEquals("logits", out.getName());
        assertEquals(2, out.getType().getTensorType().getShape().getDimCount());
        assertEquals(5, out.getType().getTensorType().getShape().getDim(1).getDimValue());
        Map<String, String> metadata = new java.util.HashMap<>();
        model.getMetadataPropsList().forEach(e -> metadata.put(e.getKey(), e.getValue()));
        assertEquals("abc", metadata.get("spec_hash"));
        assertEquals("logits", metadata.get("resnet.output"), "the output kind is declared, not guessed");
        assertTrue(model.getDocString().contains("Tiny"));
        Map<String, TensorProto> inits = initializerNames(model);
        for (String name : net.parameters().keySet()) {
            assertTrue(inits.containsKey(name), name);
        }
        assertEquals(
                1,
                model.getGraph().getNodeList().stream()
                        .filter(n -> n.getOpType().equals("Slice"))
                        .count());
        NodeProto conv = model.getGraph().getNodeList().stream()
                .filter(n -> n.getName().equals("layer2.0.conv2"))
                .findFirst()
                .orElseThrow();
        assertTrue(conv.getAttributeList().stream().anyMatch(a -> a.getName().equals("group") && a.getI() == 2));
    }

    @Test
    void externalDataFileIsWrittenReadBackAndLoadedByOnnxRuntime() throws IOException {
        Path file = dir.resolve("tiny.onnx");
        OnnxExporter.write(weights, ExportOptions.defaults().withExternalDataThreshold(256), file);
        Path data = dir.resolve("tiny.onnx.data");
        assertTrue(Files.size(data) > 0);
        ModelProto onDisk = ModelProto.parseFrom(Files.readAllBytes(file));
        TensorProto w = initializerNames(onDisk).get("layer1.0.conv1.weight");
        assertEquals(TensorProto.DataLocation.EXTERNAL, w.getDataLocation());
        assertEquals(
                "tiny.onnx.data",
                w.getExternalDataList().stream()
                        .filter(e -> e.getKey().equals("location"))
                        .findFirst()
                        .orElseThrow()
                        .getValue());
        assertFalse(initializerNames(onDisk).get("fc.bias").getDataLocation() == TensorProto.DataLocation.EXTERNAL);

        ModelProto back = OnnxFiles.read(file);
        assertArrayEquals(
                weights.get("layer1.0.conv1.weight").floats(),
                TensorProtos.fromProto(initializerNames(back).get("layer1.0.conv1.weight"))
                        .floats());
        try (Inference inference = Inference.open(file, Device.CPU)) {
            assertClose(ReferenceForward.logits(weights, input), toRows(inference.run(input)), 1e-4);
        }
    }

    @Test
    void smallModelsAreOneFile() throws IOException {
        Path file = dir.resolve("one.onnx");
        OnnxExporter.write(weights, ExportOptions.defaults(), file);
        assertFalse(Files.exists(dir.resolve("one.onnx.data")));
        assertEquals(OnnxExporter.export(weights, ExportOptions.defaults()), OnnxFiles.read(file));
    }

    @Test
    void preprocessingIsRecordedAndReadBackByInference() throws IOException {
        Preprocessing p = new Preprocessing(
                Preprocessing.Resize.exact(),
                net.input().height(),
                net.input().width(),
                Preprocessing.ColorMode.RGB,
                Normalization.imagenet(),
                java.util.List.of("a", "b", "c", "d", "e"));
        byte[] model = OnnxExporter.export(weights, ExportOptions.defaults().withPreprocessing(p))
                .toByteArray();
        try (Inference inference = Inference.open(model, Device.CPU)) {
            assertEquals(p, inference.preprocessing().orElseThrow());
            assertEquals(OutputKind.LOGITS, inference.outputKind());
        }
        Preprocessing wrongSize = new Preprocessing(
                Preprocessing.Resize.exact(), 7, 7, Preprocessing.ColorMode.RGB, Normalization.none(), null);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> OnnxExporter.export(weights, ExportOptions.defaults().withPreprocessing(wrongSize)));
        assertTrue(e.getMessage().contains("makes 3x7x7 inputs"), e.getMessage());
    }

    @Test
    void missingOrMisshapenWeightsAreNamed() {
        Map<String, Tensor> missing = new LinkedHashMap<>(weights.asMap());
        missing.remove("layer2.0.bn3.running_var");
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.of(net, missing));
        assertTrue(e.getMessage().contains("layer2.0.bn3.running_var"), e.getMessage());

        Map<String, Tensor> wrong = new LinkedHashMap<>(weights.asMap());
        wrong.put("fc.weight", Tensor.zeros(5, 23));
        e = assertThrows(IllegalArgumentException.class, () -> Weights.of(net, wrong));
        assertEquals("weight fc.weight is F32[5, 23], Tiny needs F32[5, 24]", e.getMessage());
    }

    @Test
    void opsetOutsideTheSupportedRangeIsRefused() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> ExportOptions.defaults().withOpset(12));
        assertTrue(e.getMessage().contains("13 to 21"), e.getMessage());
    }

    @Test
    void corruptAndTruncatedModelFilesGiveClearErrors() throws IOException {
        Path file = dir.resolve("m.onnx");
        OnnxExporter.write(weights, ExportOptions.defaults(), file);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(IOException.class, () -> OnnxFiles.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": not a valid ONNX model"), e.getMessage());
        Path text = dir.resolve("text.onnx");
        Files.writeString(text, "this is not a model\n");
        e = assertThrows(IOException.class, () -> OnnxFiles.read(text));
        assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
    }

    private static Map<String, TensorProto> initializerNames(ModelProto model) {
        return model.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, t -> t, (a, b) -> a, LinkedHashMap::new));
    }

    private float[][] run(byte[] model) throws IOException {
        try (Inference inference = Inference.open(model, Device.CPU)) {
            return toRows(inference.run(input));
        }
    }

    static float[][] toRows(Tensor t) {
        int n = t.dim(0);
        int k = t.elements() / n;
        float[][] rows = new float[n][k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.floats(), i * k, rows[i], 0, k);
        }
        return rows;
    }

    static void assertClose(float[][] expected, float[][] actual, double relative) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (float[] row : expected) {
            for (float v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length);
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], relative * scale, "row " + i + " column " + j);
            }
        }
    }
}
