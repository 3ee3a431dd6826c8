package dev.resnetdsl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockSpec;
import dev.resnetdsl.grammar.spec.InitSpec;
import dev.resnetdsl.grammar.spec.LayerRow;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.Shape;
import dev.resnetdsl.grammar.spec.ShortcutKind;
import dev.resnetdsl.grammar.spec.ShortcutOption;
import dev.resnetdsl.grammar.spec.StemLayer;
import dev.resnetdsl.grammar.spec.StrideOn;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the analyzer resolves: torchvision's names, shapes, shortcut kinds and defaults. */
class AnalyzerSemanticsTest {
    private static ModelSpec compile(String file) throws IOException {
        Compilation compilation = SpecCompiler.compile(RepoRoot.spec(file));
        assertEquals("", compilation.formatDiagnostics());
        return compilation.models().get(0);
    }

    private static ModelSpec compileText(String text) {
        Compilation compilation = SpecCompiler.compile("t.resnet", text, null);
        assertEquals("", compilation.formatDiagnostics());
        return compilation.models().get(0);
    }

    private static LayerRow row(ModelSpec spec, String name) {
        return spec.layers().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name));
    }

    private static boolean hasRow(ModelSpec spec, String name) {
        return spec.layers().stream().anyMatch(r -> r.name().equals(name));
    }

    @Test
    void resnet50UsesTorchvisionNamesShapesAndProjections() throws IOException {
        ModelSpec spec = compile("imagenet/resnet50.resnet");
        assertEquals(new Shape(3, 224, 224), spec.input());
        StemLayer.Conv conv1 = (StemLayer.Conv) spec.stem().get(0);
        assertEquals("conv1", conv1.convName());
        assertEquals("bn1", conv1.bnName());
        assertEquals(3, conv1.padding());
        assertEquals(new Shape(64, 112, 112), conv1.output());
        StemLayer.MaxPool pool = (StemLayer.MaxPool) spec.stem().get(1);
        assertEquals(1, pool.padding());
        assertEquals(new Shape(64, 56, 56), pool.output());
        assertEquals(StrideOn.CONV_3X3, spec.block().strideOn());
        assertEquals(4, spec.block().expansion());
        assertEquals(
                List.of("layer1", "layer2", "layer3", "layer4"),
                spec.stages().stream().map(s -> s.prefix()).collect(Collectors.toList()));
        BlockSpec first = spec.stages().get(0).blocks().get(0);
        assertEquals("layer1.0", first.prefix());
        assertEquals(ShortcutKind.PROJECTION, first.shortcut(), "64 -> 256 channels projects under option B");
        assertEquals(ShortcutKind.IDENTITY, spec.stages().get(0).blocks().get(1).shortcut());
        BlockSpec down = spec.stages().get(1).blocks().get(0);
        assertEquals(2, down.stride());
        assertEquals(1, spec.stages().get(1).blocks().get(1).stride(), "only a stage's first block has the stride");
        assertEquals(new Shape(512, 28, 28), down.output());
        assertEquals(128, down.innerWidth());
        assertEquals(new Shape(2048, 7, 7), spec.stages().get(3).output());
        assertEquals(2048, spec.head().inFeatures());
        // layer2.0: conv1 1x1 keeps 56x56, conv2 3x3 takes the stride (torchvision v1.5).
        assertEquals(new Shape(128, 56, 56), row(spec, "layer2.0.conv1").output());
        assertEquals("conv 3x3/2", row(spec, "layer2.0.conv2").kind());
        assertEquals(128L * 128 * 9, row(spec, "layer2.0.conv2").params());
        assertEquals(256L * 512, row(spec, "layer2.0.downsample.0").params());
        assertEquals(2L * 512, row(spec, "layer2.0.downsample.1").params());
        assertFalse(hasRow(spec, "layer2.1.downsample.0"));
        assertEquals(2048L * 1000 + 1000, row(spec, "fc").params());
        assertEquals(new Shape(1000, 1, 1), row(spec, "fc").output());
        assertEquals(InitSpec.defaults(), spec.init());
        assertTrue(spec.sourceText().startsWith("model ResNet50 {"));
    }

    @Test
    void resnet50V1PutsTheStrideOnTheFirst1x1() throws IOException {
        ModelSpec spec = compile("imagenet/resnet50_v1.resnet");
        assertEquals(StrideOn.CONV_1X1, spec.block().strideOn());
        assertEquals(new Shape(128, 28, 28), row(spec, "layer2.0.conv1").output());
        assertEquals("conv 1x1/2", row(spec, "layer2.0.conv1").kind());
        assertEquals("conv 3x3/1", row(spec, "layer2.0.conv2").kind());
    }

    @Test
    void resnextAndWideResnetInnerWidthsFollowTorchvision() throws IOException {
        ModelSpec resnext = compile("imagenet/resnext50_32x4d.resnet");
        assertEquals(32, resnext.block().groups());
        assertEquals(
                List.of(128, 256, 512, 1024),
                resnext.stages().stream()
                        .map(s -> s.blocks().get(0).innerWidth())
                        .collect(Collectors.toList()));
        assertEquals("conv 3x3/1 g32", row(resnext, "layer1.0.conv2").kind());
        assertEquals(128L * 4 * 9, row(resnext, "layer1.0.conv2").params());
        ModelSpec wide = compile("imagenet/wide_resnet50_2.resnet");
        assertEquals(
                List.of(128, 256, 512, 1024),
                wide.stages().stream().map(s -> s.blocks().get(0).innerWidth()).collect(Collectors.toList()));
        assertEquals(new Shape(2048, 7, 7), wide.stages().get(3).output());
    }

    @Test
    void cifarResnet20UsesZeroPaddingShortcutsWithoutParameters() throws IOException {
        ModelSpec spec = compile("cifar/resnet20.resnet");
        assertEquals(ShortcutOption.A, spec.shortcut());
        assertEquals(BlockKind.BASIC, spec.block().kind());
        List<ShortcutKind> firstBlocks =
                spec.stages().stream().map(s -> s.blocks().get(0).shortcut()).collect(Collectors.toList());
        assertEquals(List.of(ShortcutKind.IDENTITY, ShortcutKind.ZERO_PAD, ShortcutKind.ZERO_PAD), firstBlocks);
        assertEquals(0, row(spec, "layer2.0.shortcut").params());
        assertEquals(new Shape(32, 16, 16), row(spec, "layer2.0.shortcut").output());
        assertFalse(spec.layers().stream().anyMatch(r -> r.name().contains("downsample")));
        assertEquals(new Shape(64, 8, 8), spec.stages().get(2).output());
    }

    @Test
    void plainNetworksHaveNoShortcutsAndNoAdds() throws IOException {
        ModelSpec spec = compile("cifar/plain20.resnet");
        assertEquals(ShortcutOption.NONE, spec.shortcut());
        assertTrue(spec.stages().stream()
                .flatMap(s -> s.blocks().stream())
                .allMatch(b -> b.shortcut() == ShortcutKind.NONE && !b.zeroInitLastBn()));
        assertFalse(spec.layers().stream().anyMatch(r -> r.kind().equals("add")));
    }

    @Test
    void optionCProjectsEveryBlockAndZeroInitMarksResidualBranches() {
        ModelSpec spec = compileText(
                """
                model C {
                  input 3x32x32; classes 10
                  stem { conv 3x3 16; conv 3x3 16; maxpool 3x3 /2 }
                  block basic
                  shortcut C
                  stage a 16 x2
                  init zero_last_bn seed 42 fan_in
                }
                """);
        assertTrue(spec.stages().get(0).blocks().stream().allMatch(b -> b.shortcut() == ShortcutKind.PROJECTION));
        assertTrue(spec.stages().get(0).blocks().stream().allMatch(BlockSpec::zeroInitLastBn));
        assertEquals(new InitSpec("fan_in", true, 42L), spec.init());
        assertEquals(
                List.of("conv1", "bn1", "relu", "conv1_2", "bn1_2", "relu_2", "maxpool"),
                spec.layers().subList(0, 7).stream().map(LayerRow::name).collect(Collectors.toList()));
        assertEquals(new Shape(16, 16, 16), spec.stem().get(2).output());
    }

    @Test
    void defaultsAreShortcutBBottleneckExpansion4AndTheDefaultHead() {
        ModelSpec spec = compileText(
                """
                model D {
                  input 3x64x64
                  classes 5
                  stem { conv 3x3 32 }
                  block bottleneck
                  stage a 16 x1 /2
                }
                """);
        assertEquals(ShortcutOption.B, spec.shortcut());
        assertEquals(4, spec.block().expansion());
        assertEquals(1, spec.block().groups());
        assertEquals(64, spec.block().widthPerGroup());
        assertEquals(StrideOn.CONV_3X3, spec.block().strideOn());
        assertEquals(
                ShortcutKind.PROJECTION, spec.stages().get(0).blocks().get(0).shortcut());
        assertEquals(new Shape(64, 32, 32), spec.stages().get(0).output());
        assertEquals(64, spec.head().inFeatures());
        assertEquals(5, spec.head().classes());
        assertEquals(
                List.of("avgpool", "fc"),
                spec.layers().subList(spec.layers().size() - 2, spec.layers().size()).stream()
                        .map(LayerRow::name)
                        .collect(Collectors.toList()));
    }
}
