package dev.resnetdsl.runtime.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Scales, zero points, weight and bias quantization, range choices and the seeded sample, by hand. */
class QuantizationMathTest {
    @Test
    void activationParametersCoverTheRangeAndRepresentZeroExactly() {
        QuantParams relu = QuantParams.covering(0, 2.55, ActivationType.UINT8);
        assertEquals(0.01f, relu.scale(), 1e-7);
        assertEquals(0, relu.zeroPoint(), "a ReLU output's zero point is the type's minimum");
        QuantParams signed = QuantParams.covering(-1, 3, ActivationType.UINT8);
        assertEquals(4 / 255f, signed.scale(), 1e-7);
        assertEquals(64, signed.zeroPoint());
        QuantParams positive = QuantParams.covering(0.5, 1, ActivationType.UINT8);
        assertEquals(1 / 255f, positive.scale(), 1e-7, "the range is widened to contain 0");
        assertEquals(0, positive.zeroPoint());
        QuantParams s8 = QuantParams.covering(0, 2.55, ActivationType.INT8);
        assertEquals(-128, s8.zeroPoint(), "signed: the minimum is -128, so a ReLU stays absorbed");
        QuantParams dead = QuantParams.covering(0, 0, ActivationType.UINT8);
        assertEquals(1f, dead.scale(), "a value that is always 0 still gets a valid scale");
    }

    @Test
    void weightsAreSymmetricPerOutputChannelAndBiasesUseTheAccumulatorScale() {
        Tensor w = Tensor.ofFloats(new int[] {3, 2}, new float[] {1.27f, -0.635f, 0, 0, -0.1f, 0.05f});
        WeightQuantizer.Quantized q = WeightQuantizer.perChannel(w, 0);
        assertArrayEquals(new float[] {0.01f, 1f, 0.1f / 127}, q.scales(), 1e-9f);
        assertArrayEquals(new byte[] {127, -64, 0, 0, -127, 64}, q.values());
        WeightQuantizer.Quantized byColumn = WeightQuantizer.perChannel(w, 1);
        assertArrayEquals(new float[] {1.27f / 127, 0.635f / 127}, byColumn.scales(), 1e-9f);
        float[] scales = WeightQuantizer.biasScales(0.5f, q.scales());
        assertArrayEquals(new float[] {0.005f, 0.5f, 0.05f / 127}, scales, 1e-9f);
        assertArrayEquals(
                new int[] {200, -1, Integer.MAX_VALUE}, WeightQuantizer.bias(new float[] {1, -0.5f, 1e9f}, scales));
    }

    @Test
    void percentileClipsRareOutliersOnEachSideThatHasValues() {
        TensorStatistics s = statistics(values -> {
            for (int i = 0; i < 100_000; i++) {
                values.accept((i % 1000) / 1000f); // uniform in [0, 1)
            }
            values.accept(50f); // one outlier
        });
        double[] minmax = RangeChooser.range(s, CalibrationMethod.MINMAX, 99.99);
        assertArrayEquals(new double[] {0, 50}, minmax, 1e-6);
        double[] p = RangeChooser.range(s, CalibrationMethod.PERCENTILE, 99.99);
        assertEquals(0, p[0], 1e-9, "no negative tail to cut");
        assertTrue(p[1] > 0.99 && p[1] < 1.03, "the outlier is cut, the bulk kept: " + Arrays.toString(p));
    }

    @Test
    void entropyChoosesAThresholdNearTheBulkOfADistributionWithALongTail() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        TensorStatistics s = statistics(values -> {
            for (int i = 0; i < 200_000; i++) {
                values.accept((float) Math.abs(r.nextGaussian()));
            }
            values.accept(40f);
        });
        double[] e = RangeChooser.range(s, CalibrationMethod.ENTROPY, 99.99);
        assertEquals(s.min(), e[0], 1e-12, "the low end is the smallest value (then widened to 0)");
        assertTrue(e[1] > 2.5 && e[1] < 12, "threshold " + e[1] + " for |N(0,1)| with one value at 40");
    }

    @Test
    void theSeededSampleIsDistinctAscendingAndReproducible() {
        int[] a = SeededSample.choose(1000, 50, 7);
        assertArrayEquals(a, SeededSample.choose(1000, 50, 7));
        assertNotEquals(Arrays.toString(a), Arrays.toString(SeededSample.choose(1000, 50, 8)));
        assertEquals(50, Arrays.stream(a).distinct().count());
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i]);
        }
        assertEquals(950, SeededSample.rest(1000, a).length);
        assertArrayEquals(new int[] {0, 1, 2}, SeededSample.choose(3, 10, 7), "asking for more takes all");
        // Fixed by the algorithm, not by the JDK: the first picks for seed 0.
        assertArrayEquals(new int[] {1, 7, 9}, SeededSample.choose(10, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> SeededSample.choose(-1, 3, 0));
    }

    /** Two passes over the same values, as calibration makes. */
    private static TensorStatistics statistics(java.util.function.Consumer<java.util.function.Consumer<Float>> source) {
        java.util.List<Float> list = new java.util.ArrayList<>();
        source.accept(list::add);
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
        }
        TensorStatistics s = new TensorStatistics();
        s.observeRange(v, 0, v.length);
        s.observeHistogram(v, 0, v.length);
        return s;
    }
}
