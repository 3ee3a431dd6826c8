package dev.resnetdsl.grammar.testing;

import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockSpec;
import dev.resnetdsl.grammar.spec.BlockType;
import dev.resnetdsl.grammar.spec.HeadSpec;
import dev.resnetdsl.grammar.spec.InitSpec;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.Shape;
import dev.resnetdsl.grammar.spec.ShortcutKind;
import dev.resnetdsl.grammar.spec.ShortcutOption;
import dev.resnetdsl.grammar.spec.SourcePosition;
import dev.resnetdsl.grammar.spec.StageSpec;
import dev.resnetdsl.grammar.spec.StemLayer;
import dev.resnetdsl.grammar.spec.StrideOn;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-built {@link ModelSpec}s, resolved with torchvision's rules, so the generator can be tested without the
 * parser. Each carries the published parameter count as {@code params}: the generator cross-checks it against
 * the network it builds, which ties the interpreter to torchvision's numbers.
 */
public final class TestSpecs {
    private TestSpecs() {}

    /** torchvision resnet18: 11,689,512 parameters. */
    public static ModelSpec resnet18() {
        return imagenet(
                "ResNet18",
                "specs/imagenet/resnet18.resnet",
                """
                # ResNet-18 as in Table 1 of the paper
                model ResNet18 {
                  input 3x224x224
                  classes 1000
                  stem { conv 7x7 64 /2; maxpool 3x3 /2 }
                  block basic
                  shortcut B
                  stage conv2_x 64  x2
                  stage conv3_x 128 x2 /2
                  stage conv4_x 256 x2 /2
                  stage conv5_x 512 x2 /2
                }
                """,
                new BlockType(BlockKind.BASIC, 1, 1, 64, StrideOn.CONV_3X3),
                ShortcutOption.B,
                new int[] {2, 2, 2, 2},
                11_689_512L);
    }

    /** torchvision resnet50 (stride on the 3×3): 25,557,032 parameters. */
    public static ModelSpec resnet50() {
        return imagenet(
                "ResNet50",
                "specs/imagenet/resnet50.resnet",
                """
                # ResNet-50; torchvision places the stride on the 3x3
                model ResNet50 {
                  input 3x224x224
                  classes 1000
                  stem { conv 7x7 64 /2; maxpool 3x3 /2 }
                  block bottleneck(expansion 4, stride_on 3x3)
                  shortcut B
                  stage conv2_x 64  x3
                  stage conv3_x 128 x4 /2
                  stage conv4_x 256 x6 /2
                  stage conv5_x 512 x3 /2
                }
                """,
                new BlockType(BlockKind.BOTTLENECK, 4, 1, 64, StrideOn.CONV_3X3),
                ShortcutOption.B,
                new int[] {3, 4, 6, 3},
                25_557_032L);
    }

    /** The paper's ResNet-50 with the stride on the first 1×1. */
    public static ModelSpec resnet50v1() {
        return imagenet(
                "ResNet50V1",
                "specs/imagenet/resnet50_v1.resnet",
                "model ResNet50V1 extends ResNet50 { block bottleneck(stride_on 1x1) }\n",
                new BlockType(BlockKind.BOTTLENECK, 4, 1, 64, StrideOn.CONV_1X1),
                ShortcutOption.B,
                new int[] {3, 4, 6, 3},
                25_557_032L);
    }

    /** torchvision resnext50_32x4d: 25,028,904 parameters. */
    public static ModelSpec resnext50() {
        return imagenet(
                "ResNeXt50_32x4d",
                "specs/imagenet/resnext50_32x4d.resnet",
                """
                # ResNeXt-50 (32x4d): 32 groups of width 4 in the first stage
                model ResNeXt50_32x4d extends ResNet50 {
                  block bottleneck(groups 32, width_per_group 4)
                }
                """,
                new BlockType(BlockKind.BOTTLENECK, 4, 32, 4, StrideOn.CONV_3X3),
                ShortcutOption.B,
                new int[] {3, 4, 6, 3},
                25_028_904L);
    }

    /** The paper's 18-layer plain net: 11,515,688 parameters. */
    public static ModelSpec plain18() {
        return imagenet(
                "Plain18",
                "specs/imagenet/plain18.resnet",
                """
                # The 18-layer plain baseline: ResNet-18 without shortcuts
                model Plain18 extends ResNet18 { plain }
                """,
                new BlockType(BlockKind.BASIC, 1, 1, 64, StrideOn.CONV_3X3),
                ShortcutOption.NONE,
                new int[] {2, 2, 2, 2},
                11_515_688L);
    }

    /** The paper's CIFAR-10 ResNet-20 with option-A shortcuts: 269,722 parameters. */
    public static ModelSpec cifarResnet20() {
        return build(
                "ResNet20",
                "specs/cifar/resnet20.resnet",
                """
                # CIFAR-10 ResNet-20 (section 4.2), option A shortcuts
                model ResNet20 {
                  input 3x32x32
                  classes 10
                  stem { conv 3x3 16 }
                  block basic
                  shortcut A
                  stage conv2_x 16 x3
                  stage conv3_x 32 x3 /2
                  stage conv4_x 64 x3 /2
                }
                """,
                new Shape(3, 32, 32),
                10,
                List.of(new StemDef(3, 16, 1, 1)),
                new BlockType(BlockKind.BASIC, 1, 1, 64, StrideOn.CONV_3X3),
                ShortcutOption.A,
                List.of(
                        new StageDef("conv2_x", 16, 3, 1),
                        new StageDef("conv3_x", 32, 3, 2),
                        new StageDef("conv4_x", 64, 3, 2)),
                InitSpec.defaults(),
                269_722L);
    }

    /** A stem layer: a conv (kernel, out, stride, padding) or, with {@code out == 0}, a max-pool. */
    public record StemDef(int kernel, int out, int stride, int padding) {}

    /** A stage as written: name, width, repeats, stride. */
    public record StageDef(String name, int width, int repeats, int stride) {}

    private static ModelSpec imagenet(
            String name,
            String file,
            String text,
            BlockType block,
            ShortcutOption shortcut,
            int[] repeats,
            long params) {
        String[] names = {"conv2_x", "conv3_x", "conv4_x", "conv5_x"};
        int[] widths = {64, 128, 256, 512};
        List<StageDef> stages = new ArrayList<>();
        for (int i = 0; i < repeats.length; i++) {
            stages.add(new StageDef(names[i], widths[i], repeats[i], i == 0 ? 1 : 2));
        }
        return build(
                name,
                file,
                text,
                new Shape(3, 224, 224),
                1000,
                List.of(new StemDef(7, 64, 2, 3), new StemDef(3, 0, 2, 1)),
                block,
                shortcut,
                stages,
                InitSpec.defaults(),
                params);
    }

    /** Resolves a model the way the analyzer does (torchvision's rules). */
    public static ModelSpec build(
            String name,
            String file,
            String text,
            Shape input,
            int classes,
            List<StemDef> stemDefs,
            BlockType block,
            ShortcutOption shortcut,
            List<StageDef> stageDefs,
            InitSpec init,
            long params) {
        SourcePosition pos = new SourcePosition(file, 1, 1);
        long[] macs = {0};
        List<StemLayer> stem = new ArrayList<>();
        Shape x = input;
        int convs = 0;
        for (StemDef d : stemDefs) {
            Shape out;
            if (d.out() > 0) {
                convs++;
                out = new Shape(
                        d.out(),
                        extent(x.height(), d.kernel(), d.stride(), d.padding()),
                        extent(x.width(), d.kernel(), d.stride(), d.padding()));
                String suffix = convs == 1 ? "" : "_" + convs;
                stem.add(new StemLayer.Conv(
                        "conv1" + suffix, "bn1" + suffix, d.kernel(), d.out(), d.stride(), d.padding(), x, out, pos));
                macs[0] += out.elements() * x.channels() * d.kernel() * d.kernel();
            } else {
                out = new Shape(
                        x.channels(),
                        extent(x.height(), d.kernel(), d.stride(), d.padding()),
                        extent(x.width(), d.kernel(), d.stride(), d.padding()));
                stem.add(new StemLayer.MaxPool(d.kernel(), d.stride(), d.padding(), x, out, pos));
            }
            x = out;
        }
        List<StageSpec> stages = new ArrayList<>();
        for (int s = 0; s < stageDefs.size(); s++) {
            StageDef d = stageDefs.get(s);
            String prefix = "layer" + (s + 1);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int i = 0; i < d.repeats(); i++) {
                int stride = i == 0 ? d.stride() : 1;
                int outC = d.width() * block.expansion();
                int inner = block.kind() == BlockKind.BASIC
                        ? d.width()
                        : d.width() * block.widthPerGroup() / 64 * block.groups();
                Shape out = new Shape(outC, (x.height() - 1) / stride + 1, (x.width() - 1) / stride + 1);
                boolean changes = stride != 1 || x.channels() != outC;
                ShortcutKind kind =
                        switch (shortcut) {
                            case A -> changes ? ShortcutKind.ZERO_PAD : ShortcutKind.IDENTITY;
                            case B -> changes ? ShortcutKind.PROJECTION : ShortcutKind.IDENTITY;
                            case C -> ShortcutKind.PROJECTION;
                            case IDENTITY -> ShortcutKind.IDENTITY;
                            case NONE -> ShortcutKind.NONE;
                        };
                macs[0] += blockMacs(block, x, out, inner, stride, kind);
                blocks.add(
                        new BlockSpec(prefix + "." + i, x, out, d.width(), inner, stride, kind, init.zeroInitLastBn()));
                x = out;
            }
            stages.add(new StageSpec(d.name(), prefix, d.width(), d.repeats(), d.stride(), blocks, x, pos));
        }
        macs[0] += (long) x.channels() * classes;
        return new ModelSpec(
                name,
                file,
                text,
                input,
                classes,
                stem,
                block,
                shortcut,
                stages,
                new HeadSpec(x.channels(), classes),
                init,
                List.of(),
                params,
                macs[0]);
    }

    private static long blockMacs(BlockType block, Shape in, Shape out, int inner, int stride, ShortcutKind kind) {
        long hw = (long) out.height() * out.width();
        long macs;
        if (block.kind() == BlockKind.BASIC) {
            macs = hw * inner * in.channels() * 9 + hw * inner * inner * 9;
        } else {
            long firstHw = block.strideOn() == StrideOn.CONV_1X1 ? hw : (long) in.height() * in.width();
            macs = firstHw * inner * in.channels()
                    + hw * inner * (inner / block.groups()) * 9
                    + hw * out.channels() * inner;
        }
        if (kind == ShortcutKind.PROJECTION) {
            macs += hw * out.channels() * in.channels();
        }
        return macs;
    }

    private static int extent(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }
}
