package dev.resnetdsl.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.BrokenModels;
import dev.resnetdsl.runtime.testing.TinyNets;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceTest {
    @Test
    void reportsShapesAndRefusesAWrongInputShapeByName() throws IOException {
        Network net = TinyNets.tiny();
        byte[] model = OnnxExporter.export(TinyNets.randomWeights(net, 1), ExportOptions.defaults())
                .toByteArray();
        try (Inference inference = Inference.open(model, Device.CPU)) {
            assertArrayEquals(new long[] {-1, 3, 12, 12}, inference.inputShape());
            assertEquals("input", inference.inputName());
            assertEquals("logits", inference.outputName());
            assertEquals(
                    "F32[4, 5]", inference.run(TinyNets.randomInput(net, 4, 1)).describe());
            var e = assertThrows(IllegalArgumentException.class, () -> inference.run(Tensor.zeros(1, 3, 32, 32)));
            assertEquals(
                    "input is F32[1, 3, 32, 32], the model expects [N, 3, 12, 12] (N = any batch size)",
                    e.getMessage());
        }
    }

    @Test
    void topKSortsBySoftmaxProbability() {
        double[] p = TopK.softmax(new float[] {1, 3, 2, 3}, 0, 4);
        List<TopK.Prediction> top = TopK.top(p, 3);
        assertEquals(
                List.of(1, 3, 2), top.stream().map(TopK.Prediction::classIndex).toList());
        double e = Math.exp(1) + 2 * Math.exp(3) + Math.exp(2);
        assertEquals(Math.exp(3) / e, top.get(0).probability(), 1e-12);
    }

    @Test
    void aModelThatFailsWhenItRunsIsBadInputNotACrash() throws IOException {
        byte[] model = BrokenModels.fcBiasOfLength(3).toByteArray();
        try (Inference inference = Inference.open(model, Device.CPU)) {
            var e = assertThrows(IllegalArgumentException.class, () -> inference.run(Tensor.zeros(1, 3, 12, 12)));
            assertTrue(e.getMessage().startsWith("the model failed in ONNX Runtime: "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void aGraphThatTakesMoreThanTheImagesIsNotAClassifier() {
        byte[] model = BrokenModels.withExtraInput("labels").toByteArray();
        IOException e = assertThrows(IOException.class, () -> Inference.open(model, Device.CPU));
        assertTrue(e.getMessage().startsWith("the model takes 2 inputs (input, labels)"), e.getMessage());
    }
}
