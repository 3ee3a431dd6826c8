package dev.resnetdsl.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.TinyNets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
    @TempDir
    Path dir;

    private static Network net(int classes) {
        NetworkBuilder b = NetworkBuilder.create("Small", 3, 8, 8);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 4, 3, 1, 1, 1)));
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), classes));
    }

    @Test
    void ofChecksEveryParameterOnceAndKeepsTheNetworksOrder() {
        Network net = net(3);
        Map<String, Tensor> reversed = new LinkedHashMap<>();
        List<String> names = List.copyOf(net.parameters().keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.put(names.get(i), Weights.initial(net).get(names.get(i)));
        }
        reversed.put("bn1.num_batches_tracked", Tensor.ofLongs(new int[0], new long[] {5}));
        Weights w = Weights.of(net, reversed);
        assertEquals(names, List.copyOf(w.asMap().keySet()));

        Map<String, Tensor> extra = new LinkedHashMap<>(w.asMap());
        extra.put("layer9.conv1.weight", Tensor.zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.of(net, extra));
        assertEquals(
                "weight layer9.conv1.weight is not a parameter of Small (names follow torchvision)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.with("fc.bias", Tensor.zeros(4)));
        assertEquals("weight fc.bias is F32[4], Small needs F32[3]", e.getMessage());
    }

    @Test
    void aNewHeadLoadsTheBackboneReinitialisesTheClassifierAndReportsIt() throws IOException {
        Network big = net(10);
        Weights pretrained = TinyNets.randomWeights(big, 4);
        Map<String, Tensor> file = new LinkedHashMap<>(pretrained.asMap());
        file.put("bn1.num_batches_tracked", Tensor.ofLongs(new int[0], new long[] {5}));
        file.put("aux.weight", Tensor.zeros(2));
        Path st = dir.resolve("pretrained.safetensors");
        Safetensors.write(st, file);

        Network small = net(3);
        Weights.Loaded loaded = Weights.loadForNewHead(small, st);
        assertEquals(
                List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"),
                loaded.report().loaded());
        assertEquals(
                List.of("fc.weight (file: F32[10, 4])", "fc.bias (file: F32[10])"),
                loaded.report().reinitialized());
        assertEquals(List.of("aux.weight"), loaded.report().ignored());
        assertArrayEquals(
                pretrained.get("conv1.weight").floats(),
                loaded.weights().get("conv1.weight").floats());
        assertArrayEquals(
                Weights.initial(small).get("fc.weight").floats(),
                loaded.weights().get("fc.weight").floats(),
                "the classifier starts from the spec's own init");

        // Without the new-head allowance the shape difference stays an error naming the tensor.
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(small, st));
        assertTrue(e.getMessage().contains("'fc.weight' is F32[10, 4]"), e.getMessage());

        // Anything but the classifier that differs is still an error.
        Map<String, Tensor> badBackbone = new LinkedHashMap<>(pretrained.asMap());
        badBackbone.put("conv1.weight", Tensor.zeros(4, 3, 1, 1));
        e = assertThrows(IllegalArgumentException.class, () -> Weights.forNewHead(small, badBackbone));
        assertTrue(e.getMessage().startsWith("weight conv1.weight is F32[4, 3, 1, 1]"), e.getMessage());
        assertFalse(e.getMessage().contains("fc"), e.getMessage());
    }
}
