package dev.resnetdsl.runtime.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.testing.TinyNets;
import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void parsesCpuCudaAndCudaWithIndex() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(new Device(Device.Kind.CUDA, 0), Device.parse("cuda"));
        assertEquals(new Device(Device.Kind.CUDA, 3), Device.parse("CUDA:3"));
        assertEquals("cuda:3", Device.parse("cuda:3").toString());
    }

    @Test
    void badDeviceStringsNameTheAcceptedForms() {
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "cpu:0", ""}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertTrue(e.getMessage().contains("use cpu, cuda or cuda:N"), e.getMessage());
        }
    }

    @Test
    void cudaWithoutTheGpuBuildIsOneClearLine() {
        var b = NetworkBuilder.create("T", 1, 4, 4);
        var net = b.build(b.fullyConnected("fc", b.globalAvgPool(b.input()), 2));
        byte[] model = OnnxExporter.export(TinyNets.randomWeights(net, 1), ExportOptions.defaults())
                .toByteArray();
        // With the CPU artifact (the default build) CUDA is missing; with -Pcuda on a GPU machine it works.
        try {
            Sessions.open(model, Device.parse("cuda")).close();
        } catch (DeviceUnavailableException e) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("cannot use device cuda:0: "), e.getMessage());
            assertTrue(e.getMessage().contains("mvn -Pcuda") || e.getMessage().contains("CUDA 12"), e.getMessage());
        } catch (Exception e) {
            throw new AssertionError("expected DeviceUnavailableException or success, got " + e, e);
        }
    }
}
