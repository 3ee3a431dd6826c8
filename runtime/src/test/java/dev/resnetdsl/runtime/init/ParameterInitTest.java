package dev.resnetdsl.runtime.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.FanMode;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.weights.Weights;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ParameterInitTest {
    private static Network wide() {
        NetworkBuilder b = NetworkBuilder.create("Wide", 64, 8, 8);
        Activation x = b.batchNorm("bn1", b.conv("conv1", b.input(), 128, 3, 1, 1, 1), true);
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), 10));
    }

    @Test
    void sameSeedSameValuesOtherSeedOtherValues() {
        Network net = TinyNets.tiny();
        Weights a = Weights.initial(net, InitPolicy.defaults().withSeed(3));
        Weights b = Weights.initial(net, InitPolicy.defaults().withSeed(3));
        Weights c = Weights.initial(net, InitPolicy.defaults().withSeed(4));
        assertEquals(net.parameters().keySet(), a.asMap().keySet());
        for (String name : a.asMap().keySet()) {
            assertArrayEquals(a.get(name).floats(), b.get(name).floats(), name);
            assertArrayEquals(net.parameters().get(name).shape(), a.get(name).shape(), name);
        }
        assertFalse(Arrays.equals(
                a.get("conv1.weight").floats(), c.get("conv1.weight").floats()));
    }

    @Test
    void aParametersValuesDoNotDependOnTheRestOfTheNetwork() {
        Weights tiny = Weights.initial(TinyNets.tiny(), InitPolicy.defaults());
        NetworkBuilder b = NetworkBuilder.create("Other", 3, 12, 12);
        Activation x = b.conv("conv0", b.input(), 4, 1, 1, 0, 1);
        x = b.conv("conv1", b.batchNorm("bn0", x), 8, 3, 1, 1, 1);
        Network other = b.build(b.fullyConnected("fc", b.globalAvgPool(x), 3));
        Weights otherValues = Weights.initial(other, InitPolicy.defaults());
        // conv1 has shape [8, 4, 3, 3] here and [8, 3, 3, 3] in Tiny: same stream, so the common prefix agrees.
        float[] t = tiny.get("conv1.weight").floats();
        float[] o = otherValues.get("conv1.weight").floats();
        assertArrayEquals(Arrays.copyOf(t, 50), Arrays.copyOf(o, 50));
    }

    @Test
    void kaimingNormalFanOutStandardDeviationAndBatchNormDefaults() {
        Network net = wide();
        Weights v = Weights.initial(net, InitPolicy.defaults().withSeed(1));
        float[] w = v.get("conv1.weight").floats();
        double expectedStd = Math.sqrt(2.0 / (128 * 9));
        double mean = Arrays.stream(toDoubles(w)).average().orElseThrow();
        double std = Math.sqrt(
                Arrays.stream(toDoubles(w)).map(d -> (d - mean) * (d - mean)).sum() / w.length);
        // 73,728 samples: the sample std is within 1% of the true one with overwhelming probability.
        assertEquals(expectedStd, std, expectedStd * 0.01);
        assertEquals(0, mean, expectedStd * 0.02);
        assertTrue(allEqual(v.get("bn1.weight").floats(), 1f));
        assertTrue(allEqual(v.get("bn1.bias").floats(), 0f));
        assertTrue(allEqual(v.get("bn1.running_mean").floats(), 0f));
        assertTrue(allEqual(v.get("bn1.running_var").floats(), 1f));

        Weights fanIn = Weights.initial(net, new InitPolicy(FanMode.FAN_IN, false, 1));
        double inStd = Math.sqrt(2.0 / (64 * 9));
        double sd = Math.sqrt(Arrays.stream(toDoubles(fanIn.get("conv1.weight").floats()))
                        .map(d -> d * d)
                        .sum()
                / w.length);
        assertEquals(inStd, sd, inStd * 0.02);
    }

    @Test
    void classifierIsUniformInPlusMinusOneOverSqrtFanIn() {
        Weights v = Weights.initial(wide(), InitPolicy.defaults());
        double bound = 1 / Math.sqrt(128);
        for (String name : new String[] {"fc.weight", "fc.bias"}) {
            float[] d = v.get(name).floats();
            double max = Arrays.stream(toDoubles(d)).map(Math::abs).max().orElseThrow();
            assertTrue(max <= bound, name + " max " + max);
            assertTrue(max > bound * 0.8, name + " max " + max);
        }
    }

    @Test
    void zeroInitSetsTheLastBatchNormOfEachResidualBranchToZero() {
        Network net = TinyNets.tiny();
        Weights v = Weights.initial(net, new InitPolicy(FanMode.FAN_OUT, true, 0));
        assertTrue(allEqual(v.get("layer1.0.bn2.weight").floats(), 0f));
        assertTrue(allEqual(v.get("layer2.0.bn3.weight").floats(), 0f));
        assertTrue(allEqual(v.get("layer1.0.bn1.weight").floats(), 1f));
        assertTrue(allEqual(v.get("layer2.0.downsample.1.weight").floats(), 1f));
        Weights plain = Weights.initial(net, InitPolicy.defaults());
        assertTrue(allEqual(plain.get("layer1.0.bn2.weight").floats(), 1f));
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static boolean allEqual(float[] f, float value) {
        for (float x : f) {
            if (x != value) {
                return false;
            }
        }
        return true;
    }
}
