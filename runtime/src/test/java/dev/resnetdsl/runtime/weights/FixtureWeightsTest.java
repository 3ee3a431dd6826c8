package dev.resnetdsl.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.runtime.testing.Fixtures;
import dev.resnetdsl.runtime.testing.TorchvisionNets;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Weights imported from the PyTorch fixtures reproduce PyTorch's logits through our export. */
class FixtureWeightsTest {
    private static final Network RESNET18 = TorchvisionNets.resnet18(1000);

    @Test
    void resnet18FromTheOnnxFileWithBatchNormAndTorchvisionNames() throws IOException {
        Weights w = Weights.load(RESNET18, Fixtures.require("torchvision-resnet18/model.onnx"));
        assertReproducesResnet18Logits(w, false);
    }

    @Test
    void resnet18FromTheFusedOnnxFileWithAnonymousNames() throws IOException {
        Weights w = Weights.load(RESNET18, Fixtures.require("torchvision-resnet18/model-fused.onnx"));
        assertReproducesResnet18Logits(w, false);
        assertReproducesResnet18Logits(w, true);
    }

    @Test
    void cifarResnet20FromSafetensorsReproducesEvalLogits() throws IOException {
        Network net = TorchvisionNets.cifarResnet20();
        Weights w = Weights.load(net, Fixtures.require("cifar-resnet20-sgd/initial.safetensors"));
        TensorFile io = Safetensors.read(Fixtures.require("cifar-resnet20-sgd/eval.safetensors"));
        byte[] model = OnnxExporter.export(w, ExportOptions.defaults()).toByteArray();
        try (Inference inference = Inference.open(model, Device.CPU)) {
            assertClose(io.require("logits"), inference.run(io.require("input")), 1e-4);
        }
    }

    @Test
    void aNetworkWithOtherClassesNamesTheTensorThatDoesNotFit() {
        Network net10 = TorchvisionNets.resnet18(10);
        Path named = Fixtures.require("torchvision-resnet18/model.onnx");
        Path fused = Fixtures.require("torchvision-resnet18/model-fused.onnx");
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(net10, named));
        assertTrue(
                e.getMessage()
                        .endsWith("fc.weight needs F32[10, 512] but the file's tensor 'fc.weight' is F32[1000, 512]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Weights.load(net10, fused));
        assertTrue(
                e.getMessage().contains("fc.weight needs F32[10, 512] but the file's tensor 'fc.weight'"),
                e.getMessage());
    }

    @Test
    void anotherArchitectureIsRefusedWithCounts() {
        Network net = TorchvisionNets.cifarResnet20();
        Path fused = Fixtures.require("torchvision-resnet18/model-fused.onnx");
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(net, fused));
        assertTrue(e.getMessage().contains("the file has 21 Conv/Gemm nodes, ResNet20 has 20"), e.getMessage());
    }

    private static void assertReproducesResnet18Logits(Weights w, boolean fold) throws IOException {
        TensorFile io = Safetensors.read(Fixtures.require("torchvision-resnet18/io.safetensors"));
        byte[] model = OnnxExporter.export(w, ExportOptions.defaults().withFoldBn(fold))
                .toByteArray();
        try (Inference inference = Inference.open(model, Device.CPU)) {
            assertClose(io.require("logits"), inference.run(io.require("input")), 1e-4);
        }
    }

    static void assertClose(Tensor expected, Tensor actual, double relative) {
        assertEquals(expected.describe(), actual.describe());
        double scale = 0;
        for (float v : expected.floats()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < expected.elements(); i++) {
            worst = Math.max(worst, Math.abs(expected.floats()[i] - actual.floats()[i]));
        }
        System.out.printf("max |logit difference| %.3g (%.3g relative to the largest logit)%n", worst, worst / scale);
        assertTrue(worst <= relative * scale, "max difference " + worst + " > " + relative + " × " + scale);
    }
}
