package dev.resnetdsl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.testing.TestSpecs;
import dev.resnetdsl.runtime.Versions;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpecNetworksTest {

    @Test
    void parameterCountsMatchTorchvision() {
        assertEquals(11_689_512L, SpecNetworks.build(TestSpecs.resnet18()).trainableParameterCount());
        assertEquals(25_557_032L, SpecNetworks.build(TestSpecs.resnet50()).trainableParameterCount());
        assertEquals(25_557_032L, SpecNetworks.build(TestSpecs.resnet50v1()).trainableParameterCount());
        assertEquals(25_028_904L, SpecNetworks.build(TestSpecs.resnext50()).trainableParameterCount());
        assertEquals(11_515_688L, SpecNetworks.build(TestSpecs.plain18()).trainableParameterCount());
        assertEquals(269_722L, SpecNetworks.build(TestSpecs.cifarResnet20()).trainableParameterCount());
    }

    @Test
    void resnet18HasTorchvisionStateDictNamesInOrder() {
        Network net = SpecNetworks.build(TestSpecs.resnet18());
        List<String> names = List.copyOf(net.parameters().keySet());
        assertEquals(
                List.of(
                        "conv1.weight",
                        "bn1.weight",
                        "bn1.bias",
                        "bn1.running_mean",
                        "bn1.running_var",
                        "layer1.0.conv1.weight"),
                names.subList(0, 6));
        assertEquals(List.of("fc.weight", "fc.bias"), names.subList(names.size() - 2, names.size()));
        // torchvision registers downsample after the main branch of the block.
        int bn2 = names.indexOf("layer2.0.bn2.running_var");
        int downsample = names.indexOf("layer2.0.downsample.0.weight");
        assertTrue(bn2 >= 0 && downsample == bn2 + 1, "downsample follows bn2: " + names);
        assertFalse(names.contains("layer1.0.downsample.0.weight"), "layer1.0 keeps an identity shortcut");
        assertEquals(List.of(128, 64, 1, 1), shape(net, "layer2.0.downsample.0.weight"));
        assertEquals(List.of(1000, 512), shape(net, "fc.weight"));
        // 20 convs + 20 BNs × 4 tensors + fc weight and bias: torchvision's 122 state-dict entries less the
        // 20 num_batches_tracked counters, which are not tensors of the model.
        assertEquals(102, names.size());
    }

    @Test
    void bottleneckStrideGoesWhereTheSpecSays() {
        Network v15 = SpecNetworks.build(TestSpecs.resnet50());
        Network v1 = SpecNetworks.build(TestSpecs.resnet50v1());
        assertEquals(1, conv(v15, "layer2.0.conv1").stride());
        assertEquals(2, conv(v15, "layer2.0.conv2").stride());
        assertEquals(2, conv(v1, "layer2.0.conv1").stride());
        assertEquals(1, conv(v1, "layer2.0.conv2").stride());
        assertEquals(28, conv(v1, "layer2.0.conv1").output().height());
    }

    @Test
    void resnextGroupsTheThreeByThree() {
        Network net = SpecNetworks.build(TestSpecs.resnext50());
        assertEquals(32, conv(net, "layer1.0.conv2").groups());
        assertEquals(128, conv(net, "layer1.0.conv2").output().channels());
        assertEquals(List.of(128, 4, 3, 3), shape(net, "layer1.0.conv2.weight"));
        assertEquals(1, conv(net, "layer1.0.conv1").groups());
    }

    @Test
    void optionAUsesZeroPaddingWithoutParameters() {
        Network net = SpecNetworks.build(TestSpecs.cifarResnet20());
        List<Layer.ZeroPadShortcut> pads = net.layers(Layer.ZeroPadShortcut.class);
        assertEquals(2, pads.size(), "one per downsampling stage");
        assertEquals("layer2.0.shortcut", pads.get(0).output().name());
        assertEquals(32, pads.get(0).output().channels());
        assertEquals(16, pads.get(0).output().height());
        assertTrue(net.parameters().keySet().stream().noneMatch(n -> n.contains("downsample")));
    }

    @Test
    void plainNetworksHaveNoAddAndNoResidualBranchEnds() {
        Network net = SpecNetworks.build(TestSpecs.plain18());
        assertTrue(net.layers(Layer.Add.class).isEmpty());
        assertTrue(net.layers(Layer.BatchNorm.class).stream().noneMatch(Layer.BatchNorm::endsResidualBranch));
    }

    @Test
    void onlyTheLastBnOfEachResidualBranchIsMarked() {
        Network net = SpecNetworks.build(TestSpecs.resnet50());
        List<String> marked = net.layers(Layer.BatchNorm.class).stream()
                .filter(Layer.BatchNorm::endsResidualBranch)
                .map(Layer.BatchNorm::name)
                .collect(Collectors.toList());
        assertEquals(16, marked.size());
        assertTrue(marked.stream().allMatch(n -> n.endsWith(".bn3")), marked.toString());
    }

    @Test
    void metadataRecordsSpecSourceHashAndGeneratorVersion() {
        ModelSpec spec = TestSpecs.cifarResnet20();
        Network net = SpecNetworks.build(spec);
        assertEquals(spec.sourceText(), net.metadata().get(NetworkMetadata.SPEC_SOURCE));
        assertEquals(NetworkMetadata.sha256(spec.sourceText()), net.metadata().get(NetworkMetadata.SPEC_SHA256));
        assertEquals(64, net.metadata().get(NetworkMetadata.SPEC_SHA256).length());
        assertEquals(Versions.RESNET_DSL, net.metadata().get(NetworkMetadata.GENERATOR_VERSION));
        assertFalse(Versions.RESNET_DSL.isBlank());
    }

    @Test
    void sha256IsTheStandardDigest() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", NetworkMetadata.sha256("abc"));
    }

    private static Layer.Conv conv(Network net, String name) {
        return net.layers(Layer.Conv.class).stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no conv " + name));
    }

    private static List<Integer> shape(Network net, String parameter) {
        return Arrays.stream(net.parameter(parameter).orElseThrow().shape())
                .boxed()
                .collect(Collectors.toList());
    }
}
