package dev.resnetdsl.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.onnx.TensorProtos;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.NodeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.TinyNets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxWeightImporterTest {
    @TempDir
    Path dir;

    private final Network net = TinyNets.tiny();
    private final Weights weights = TinyNets.randomWeights(net, 5);
    private final Tensor input = TinyNets.randomInput(net, 2, 9);

    @Test
    void byNameGivesBackTheExportedTensors() {
        ModelProto model = OnnxExporter.export(weights, ExportOptions.defaults());
        Weights back = OnnxWeightImporter.importWeights(net, model);
        for (String name : weights.asMap().keySet()) {
            assertArrayEquals(weights.get(name).floats(), back.get(name).floats(), name);
        }
    }

    @Test
    void byStructureFromAFoldedExportWithAnonymousNamesReproducesTheLogits() throws IOException {
        ModelProto anonymous =
                anonymize(OnnxExporter.export(weights, ExportOptions.defaults().withFoldBn(true)));
        Weights imported = OnnxWeightImporter.importWeights(net, anonymous);
        assertClose(
                run(OnnxExporter.export(weights, ExportOptions.defaults())),
                run(OnnxExporter.export(imported, ExportOptions.defaults())));
        // The exact mapping: γ = 1, mean = 0, var = 1 − ε, β = the folded bias.
        assertEquals(1f, imported.get("layer1.0.bn2.weight").floats()[0]);
        assertEquals(
                (float) (1 - 1e-5), imported.get("layer1.0.bn2.running_var").floats()[3]);
    }

    @Test
    void initializersSharedThroughIdentityNodesAreResolved() {
        // torch.onnx.export stores equal tensors once and feeds the other users through Identity nodes.
        ModelProto anonymous =
                anonymize(OnnxExporter.export(weights, ExportOptions.defaults().withFoldBn(true)));
        GraphProto.Builder g = anonymous.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            String name = g.getInitializer(i).getName();
            g.setInitializer(i, g.getInitializer(i).toBuilder().setName(name + "_shared"));
            g.addNode(
                    0,
                    NodeProto.newBuilder()
                            .setOpType("Identity")
                            .addInput(name + "_shared")
                            .addOutput(name));
        }
        Weights direct = OnnxWeightImporter.importWeights(net, anonymous);
        Weights viaIdentity = OnnxWeightImporter.importWeights(
                net, anonymous.toBuilder().setGraph(g).build());
        for (String name : direct.asMap().keySet()) {
            assertArrayEquals(direct.get(name).floats(), viaIdentity.get(name).floats(), name);
        }
    }

    @Test
    void byStructureFromAnonymousExportWithBatchNormNodes() throws IOException {
        ModelProto anonymous = anonymize(OnnxExporter.export(weights, ExportOptions.defaults()));
        Weights imported = OnnxWeightImporter.importWeights(net, anonymous);
        for (String name : weights.asMap().keySet()) {
            assertArrayEquals(weights.get(name).floats(), imported.get(name).floats(), name);
        }
    }

    @Test
    void structuralShapeMismatchNamesBothTensors() {
        ModelProto anonymous =
                anonymize(OnnxExporter.export(weights, ExportOptions.defaults().withFoldBn(true)));
        // Swap in a wrong-shaped tensor for the first conv weight.
        GraphProto.Builder g = anonymous.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals("w0")) {
                g.setInitializer(i, TensorProtos.toProto("w0", Tensor.zeros(8, 3, 1, 1)));
            }
        }
        ModelProto broken = anonymous.toBuilder().setGraph(g).build();
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxWeightImporter.importWeights(net, broken));
        assertTrue(
                e.getMessage()
                        .startsWith("conv1.weight needs F32[8, 3, 3, 3] but the file's tensor 'w0' is F32[8, 3, 1, 1]"),
                e.getMessage());
    }

    @Test
    void safetensorsMissingOrMisshapenTensorsAreNamed() throws IOException {
        Map<String, Tensor> partial = new LinkedHashMap<>(weights.asMap());
        partial.remove("layer1.0.bn1.bias");
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, partial);
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(net, file));
        assertEquals(file + ": no tensor 'layer1.0.bn1.bias' (Tiny needs F32[16])", e.getMessage());

        partial.put("layer1.0.bn1.bias", Tensor.zeros(15));
        partial.put("layer1.0.bn1.num_batches_tracked", Tensor.ofLongs(new int[0], new long[] {3}));
        Safetensors.write(file, partial);
        e = assertThrows(IllegalArgumentException.class, () -> Weights.load(net, file));
        assertEquals(file + ": tensor 'layer1.0.bn1.bias' is F32[15], Tiny needs F32[16]", e.getMessage());
    }

    @Test
    void truncatedFilesAreClearIoErrors() throws IOException {
        Path st = dir.resolve("w.safetensors");
        Safetensors.write(st, weights.asMap());
        byte[] bytes = Files.readAllBytes(st);
        Files.write(st, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        var e = assertThrows(IOException.class, () -> Weights.load(net, st));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path onnx = dir.resolve("w.onnx");
        byte[] model = OnnxExporter.export(weights, ExportOptions.defaults()).toByteArray();
        Files.write(onnx, java.util.Arrays.copyOf(model, model.length - 100));
        e = assertThrows(IOException.class, () -> Weights.load(net, onnx));
        assertTrue(e.getMessage().startsWith(onnx + ": not a valid ONNX model"), e.getMessage());

        var bad = assertThrows(IllegalArgumentException.class, () -> Weights.load(net, dir.resolve("w.bin")));
        assertTrue(bad.getMessage().contains(".safetensors or .onnx"), bad.getMessage());
    }

    /** Renames every initializer to w0, w1, … and every intermediate value to v0, v1, …, and drops node names. */
    static ModelProto anonymize(ModelProto model) {
        Map<String, String> rename = new HashMap<>();
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            rename.put(t.getName(), "w" + i);
            g.setInitializer(i, t.toBuilder().setName("w" + i));
        }
        int v = 0;
        for (NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) {
                if (!out.equals("logits")) {
                    rename.put(out, "v" + v++);
                }
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto.Builder n = g.getNode(i).toBuilder().clearName();
            for (int k = 0; k < n.getInputCount(); k++) {
                n.setInput(k, rename.getOrDefault(n.getInput(k), n.getInput(k)));
            }
            for (int k = 0; k < n.getOutputCount(); k++) {
                n.setOutput(k, rename.getOrDefault(n.getOutput(k), n.getOutput(k)));
            }
            g.setNode(i, n);
        }
        return model.toBuilder().setGraph(g).build();
    }

    private Tensor run(ModelProto model) throws IOException {
        try (Inference inference = Inference.open(model.toByteArray(), Device.CPU)) {
            return inference.run(input);
        }
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        FixtureWeightsTest.assertClose(expected, actual, 1e-5);
    }
}
