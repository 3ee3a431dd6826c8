package dev.resnetdsl.runtime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.net.FanMode;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.testing.TorchvisionNets;
import dev.resnetdsl.runtime.weights.Weights;
import org.junit.jupiter.api.Test;

/** The initial BN running statistics: the expected batch statistics, so that untrained deep networks evaluate. */
class InitialStatisticsTest {
    @Test
    void runningStatisticsAreTheExpectedBatchStatisticsOfEachInput() {
        Weights w = Weights.initial(TorchvisionNets.cifarResnet20(), InitPolicy.defaults());
        // stem: 3 unit-variance channels, 3×3, std √(2/(16·9)): variance 27 · 2/144 = 0.375, mean 0
        assertEquals(0.375, w.get("bn1.running_var").floats()[0], 1e-6);
        assertEquals(0, w.get("bn1.running_mean").floats()[5], 0);
        // after BN and ReLU of N(0, 1): second moment 1/2; a 16 → 16 3×3 conv (fan_in = fan_out) keeps it ×2
        // (× 0.375/(0.375 + ε) for BN's ε)
        assertEquals(1.0, w.get("layer1.0.bn1.running_var").floats()[3], 1e-4);
        // the residual stream grows block by block, and each block's first BN follows it
        float previous = 0;
        for (int block = 0; block < 3; block++) {
            float v = w.get("layer1." + block + ".bn1.running_var").floats()[0];
            assertTrue(v >= previous, "layer1." + block + ": " + v + " after " + previous);
            previous = v;
        }
        // fan_in mode: σ² = 2/27 for the stem, so its output variance is 27 · 2/27 = 2
        Weights fanIn = Weights.initial(TorchvisionNets.cifarResnet20(), new InitPolicy(FanMode.FAN_IN, false, 0));
        assertEquals(2.0, fanIn.get("bn1.running_var").floats()[0], 1e-5);
    }

    @Test
    void aZeroInitialisedLastBnAddsNothingToTheStream() {
        Network net = TinyNets.tiny();
        Weights zero = Weights.initial(net, new InitPolicy(FanMode.FAN_OUT, true, 0));
        Weights plain = Weights.initial(net, InitPolicy.defaults());
        assertTrue(zero.get("layer2.0.bn1.running_var").floats()[0]
                < plain.get("layer2.0.bn1.running_var").floats()[0]);
    }

    @Test
    void anUntrainedNetworkOf300BlocksEvaluatesToFiniteModestLogits() throws Exception {
        // With PyTorch's running statistics (0, 1) BN is the identity in evaluation mode and the residual stream
        // grows ~1.44× per block: these logits overflowed float32 to NaN (ResNet-1202 does the same).
        Network net = TorchvisionNets.cifarStyle("Deep", 3, 8, 8, 100, 4, 4, 4);
        byte[] model = OnnxExporter.export(Weights.initial(net, InitPolicy.defaults()), ExportOptions.defaults())
                .toByteArray();
        try (Inference inference = Inference.open(model, Device.CPU)) {
            Tensor logits = inference.run(TinyNets.randomInput(net, 4, 7));
            for (float v : logits.floats()) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 1e3, "logit " + v);
            }
        }
    }
}
