package dev.resnetdsl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.grammar.RepoRoot;
import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.quantize.CalibrationMethod;
import dev.resnetdsl.runtime.quantize.Comparison;
import dev.resnetdsl.runtime.quantize.QuantizeOptions;
import dev.resnetdsl.runtime.quantize.QuantizedModel;
import dev.resnetdsl.runtime.quantize.Quantizer;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.data.DataSource;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model trained with the project's trainer (src/test/resources/quantize, see its README), quantized with
 * calibration images from the MNIST subset's training file, against its float self on the subset's 500 test images.
 */
class QuantizedAccuracyTest {
    private static Path model() throws URISyntaxException {
        return Path.of(QuantizedAccuracyTest.class
                .getResource("/quantize/mnist-resnet8.onnx")
                .toURI());
    }

    private static DataSource subset() {
        return DataSource.parse("mnist:" + RepoRoot.get().resolve("samples/mnist-subset"));
    }

    @Test
    void int8LogitsTrackTheFloatModelOnHeldOutImages() throws Exception {
        ModelProto fp32 = OnnxFiles.read(model());
        try (Inference floatModel = Inference.open(model(), Device.CPU)) {
            Preprocessing preprocessing = floatModel.preprocessing().orElseThrow();
            DataSetCalibration data = DataSetCalibration.of(subset(), preprocessing, 256, 0);
            assertEquals(500, data.heldOutSize());
            for (CalibrationMethod method : CalibrationMethod.values()) {
                QuantizedModel q = Quantizer.quantize(
                        fp32, data, QuantizeOptions.defaults().withMethod(method));
                try (Inference int8 = Inference.open(q.model().toByteArray(), Device.CPU)) {
                    Comparison c = Comparison.of(floatModel, int8, data.heldOut(500));
                    assertEquals(500, c.images());
                    assertTrue(c.agreementPercent() >= 99.0, method + ": " + c.describe());
                    assertTrue(c.floatAccuracyPercent() > 97, "the float model is trained: " + c.describe());
                    assertTrue(
                            Math.abs(c.int8AccuracyPercent() - c.floatAccuracyPercent()) <= 1.0,
                            method + ": " + c.describe());
                    // Logits, not only the top class: within a few percent of the float logits' spread.
                    float[][] both = logits(floatModel, int8, data);
                    double worst = 0;
                    double spread = 0;
                    for (int i = 0; i < both[0].length; i++) {
                        worst = Math.max(worst, Math.abs(both[0][i] - both[1][i]));
                        spread = Math.max(spread, Math.abs(both[0][i]));
                    }
                    assertTrue(worst < 0.1 * spread, method + ": logits differ by " + worst + " of " + spread);
                }
            }
        }
    }

    @Test
    void calibrationChoosesTheSameImagesAndGivesTheSameBytesEachTime() throws Exception {
        ModelProto fp32 = OnnxFiles.read(model());
        Preprocessing p;
        try (Inference floatModel = Inference.open(model(), Device.CPU)) {
            p = floatModel.preprocessing().orElseThrow();
        }
        DataSetCalibration a = DataSetCalibration.of(subset(), p, 64, 7);
        DataSetCalibration b = DataSetCalibration.of(subset(), p, 64, 7);
        QuantizeOptions options = QuantizeOptions.defaults().withMethod(CalibrationMethod.ENTROPY);
        QuantizedModel qa = Quantizer.quantize(fp32, a, options);
        assertArrayEquals(
                qa.model().toByteArray(),
                Quantizer.quantize(fp32, b, options).model().toByteArray());
        assertEquals(64, qa.record().images());
        assertEquals(7L, qa.record().seed());
        assertTrue(
                qa.record().data().endsWith("train (64 of 2000 images)"),
                qa.record().data());
        DataSetCalibration other = DataSetCalibration.of(subset(), p, 64, 8);
        assertTrue(
                !java.util.Arrays.equals(
                        qa.model().toByteArray(),
                        Quantizer.quantize(fp32, other, options).model().toByteArray()),
                "another seed chooses other images");
    }

    @Test
    void aDataSetOfAnotherSizeIsRefusedByName() throws Exception {
        Preprocessing wrong = Preprocessing.guessFor(3, 32, 32);
        var e = assertThrows(IllegalArgumentException.class, () -> DataSetCalibration.of(subset(), wrong, 8, 0));
        assertTrue(e.getMessage().contains("1x28x28 images but the model expects 3x32x32"), e.getMessage());
    }

    /** Float and int8 logits of the held-out images, flattened. */
    private static float[][] logits(Inference a, Inference b, DataSetCalibration data) {
        List<Float> fa = new ArrayList<>();
        List<Float> fb = new ArrayList<>();
        for (Comparison.Batch batch : data.heldOut(500)) {
            Tensor x = batch.images();
            for (float v : a.run(x).floats()) {
                fa.add(v);
            }
            for (float v : b.run(x).floats()) {
                fb.add(v);
            }
        }
        float[][] out = new float[2][fa.size()];
        for (int i = 0; i < fa.size(); i++) {
            out[0][i] = fa.get(i);
            out[1][i] = fb.get(i);
        }
        return out;
    }
}
