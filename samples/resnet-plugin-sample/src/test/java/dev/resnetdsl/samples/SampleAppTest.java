package dev.resnetdsl.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.samples.models.CifarResNet14;
import dev.resnetdsl.samples.models.CifarResNet8;
import org.junit.jupiter.api.Test;

class SampleAppTest {

    @Test
    void generatedClassesBuildTheNetworksOfTheSpec() {
        Network small = CifarResNet8.network();
        // 6n+2 CIFAR nets with option A: n = 1 gives 75,290 parameters, n = 2 gives 172,506 (and n = 3,
        // the paper's ResNet-20, 269,722: each extra block per stage adds 97,216).
        assertEquals(75_290L, small.trainableParameterCount());
        assertEquals(CifarResNet8.PARAMETERS, small.trainableParameterCount());
        assertEquals(172_506L, CifarResNet14.network().trainableParameterCount());
        assertEquals(CifarResNet14.PARAMETERS, CifarResNet14.network().trainableParameterCount());
        assertEquals(10, CifarResNet8.CLASSES);
        assertTrue(small.parameter("layer3.0.conv2.weight").isPresent());
    }

    @Test
    void summaryNamesTheModelAndItsParameters() {
        String summary = SampleApp.summary(CifarResNet8.network());
        System.out.println(summary);
        assertTrue(summary.startsWith("CifarResNet8: input 3x32x32, 10 classes"), summary);
        assertTrue(summary.endsWith("75,290 trainable parameters"), summary);
    }

    @Test
    void theGeneratedNetworkRunsThroughOnnxRuntime() throws Exception {
        float[] logits = SampleApp.classifyRandomImage(CifarResNet8.network(), 1L);
        assertEquals(10, logits.length);
        for (float v : logits) {
            assertTrue(Float.isFinite(v), "finite logits");
        }
    }

    @Test
    void fineTunesFromJavaAndClassifiesWithTheTrainedBundle(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var top = SampleApp.fineTuneAndClassify(dir, SampleApp.colouredImage(0x20D020, 99));
        assertEquals(3, top.size());
        assertTrue(java.util.Set.of("red", "green", "blue").contains(top.get(0).label()), top.toString());
        assertTrue(top.get(0).probability() >= top.get(1).probability(), top.toString());
        assertTrue(java.nio.file.Files.exists(dir.resolve("bundle/predictions.csv")));
    }
}
