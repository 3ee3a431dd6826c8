package dev.resnetdsl.api;

import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockSpec;
import dev.resnetdsl.grammar.spec.InitSpec;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.ShortcutKind;
import dev.resnetdsl.grammar.spec.StageSpec;
import dev.resnetdsl.grammar.spec.StemLayer;
import dev.resnetdsl.grammar.spec.StrideOn;
import dev.resnetdsl.runtime.Versions;
import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.FanMode;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.net.NetworkMetadata;

/**
 * Builds the runtime {@link Network} of a {@link ModelSpec} directly, without generating code: the path the
 * CLI's {@code export} and {@code train-artifacts} take. It makes exactly the builder calls, in exactly the
 * order, that the class the generator writes ({@code dev.resnetdsl.generator.codegen.ModelClassGenerator})
 * makes, so both give equal networks (a test holds them to it). It needs no code generator on the classpath. Semantics are torchvision's:
 *
 * <ul>
 *   <li>stem: each conv is conv → BN → ReLU; max-pools as written;
 *   <li>basic block: conv1 3×3 (stride) → bn1 → ReLU → conv2 3×3 → bn2 (+ shortcut) → ReLU;
 *   <li>bottleneck: conv1 1×1 → bn1 → ReLU → conv2 3×3 (groups) → bn2 → ReLU → conv3 1×1 → bn3
 *       (+ shortcut) → ReLU, the stride on conv1 ({@link StrideOn#CONV_1X1}) or conv2;
 *   <li>shortcut: identity, option-A zero padding, or {@code downsample.0} (1×1 conv) + {@code downsample.1}
 *       (BN); none in plain networks;
 *   <li>head: global average pooling, then {@code fc}.
 * </ul>
 */
public final class SpecNetworks {
    private SpecNetworks() {}

    /** The network of {@code spec} with the spec's own init policy. */
    public static Network build(ModelSpec spec) {
        return build(spec, initPolicy(spec.init()));
    }

    /** The network of {@code spec} with another init policy (for example another seed). */
    public static Network build(ModelSpec spec, InitPolicy initPolicy) {
        NetworkBuilder b = NetworkBuilder.create(
                        spec.name(),
                        spec.input().channels(),
                        spec.input().height(),
                        spec.input().width())
                .initPolicy(initPolicy)
                .metadata(NetworkMetadata.SPEC_SOURCE, spec.sourceText())
                .metadata(NetworkMetadata.SPEC_SHA256, NetworkMetadata.sha256(spec.sourceText()))
                .metadata(NetworkMetadata.GENERATOR_VERSION, Versions.RESNET_DSL)
                .metadata(
                        NetworkMetadata.STAGES,
                        NetworkMetadata.stages(
                                spec.stages().stream().map(StageSpec::name).toList(),
                                spec.stages().stream().map(StageSpec::prefix).toList()));
        Activation x = b.input();
        for (StemLayer layer : spec.stem()) {
            x = stemLayer(b, x, layer);
        }
        for (StageSpec stage : spec.stages()) {
            for (BlockSpec block : stage.blocks()) {
                x = block(b, x, spec, block);
            }
        }
        return b.build(b.fullyConnected("fc", b.globalAvgPool(x), spec.head().classes()));
    }

    /** The runtime form of the spec's init policy. */
    public static InitPolicy initPolicy(InitSpec init) {
        return new InitPolicy(FanMode.parse(init.fanMode()), init.zeroInitLastBn(), init.seed());
    }

    private static Activation stemLayer(NetworkBuilder b, Activation x, StemLayer layer) {
        if (layer instanceof StemLayer.Conv c) {
            return b.relu(b.batchNorm(
                    c.bnName(), b.conv(c.convName(), x, c.outChannels(), c.kernel(), c.stride(), c.padding(), 1)));
        } else if (layer instanceof StemLayer.MaxPool m) {
            return b.maxPool(x, m.kernel(), m.stride(), m.padding());
        }
        throw new IllegalArgumentException("unknown stem layer " + layer);
    }

    private static Activation block(NetworkBuilder b, Activation x, ModelSpec spec, BlockSpec block) {
        String p = block.prefix();
        boolean residual = block.shortcut() != ShortcutKind.NONE;
        int outChannels = block.output().channels();
        Activation out;
        if (spec.block().kind() == BlockKind.BASIC) {
            out = b.relu(b.batchNorm(p + ".bn1", b.conv(p + ".conv1", x, block.width(), 3, block.stride(), 1, 1)));
            out = b.batchNorm(p + ".bn2", b.conv(p + ".conv2", out, block.width(), 3, 1, 1, 1), residual);
        } else {
            boolean strideOn1x1 = spec.block().strideOn() == StrideOn.CONV_1X1;
            int inner = block.innerWidth();
            out = b.relu(
                    b.batchNorm(p + ".bn1", b.conv(p + ".conv1", x, inner, 1, strideOn1x1 ? block.stride() : 1, 0, 1)));
            out = b.relu(b.batchNorm(
                    p + ".bn2",
                    b.conv(
                            p + ".conv2",
                            out,
                            inner,
                            3,
                            strideOn1x1 ? 1 : block.stride(),
                            1,
                            spec.block().groups())));
            out = b.batchNorm(p + ".bn3", b.conv(p + ".conv3", out, outChannels, 1, 1, 0, 1), residual);
        }
        switch (block.shortcut()) {
            case IDENTITY:
                return b.relu(b.add(p, out, x));
            case ZERO_PAD:
                return b.relu(b.add(p, out, b.zeroPadShortcut(p, x, outChannels, block.stride())));
            case PROJECTION:
                Activation shortcut = b.batchNorm(
                        p + ".downsample.1", b.conv(p + ".downsample.0", x, outChannels, 1, block.stride(), 0, 1));
                return b.relu(b.add(p, out, shortcut));
            case NONE:
                return b.relu(out);
            default:
                throw new IllegalArgumentException("unknown shortcut kind " + block.shortcut());
        }
    }
}
