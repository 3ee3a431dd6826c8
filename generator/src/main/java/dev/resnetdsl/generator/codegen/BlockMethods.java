package dev.resnetdsl.generator.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockSpec;
import dev.resnetdsl.grammar.spec.ShortcutKind;
import dev.resnetdsl.grammar.spec.StrideOn;
import javax.lang.model.element.Modifier;

/**
 * Writes one method per block variant and the calls to it. The builder calls, their order and their arguments
 * mirror the api's {@code SpecNetworks} exactly.
 */
final class BlockMethods {
    static final ClassName BUILDER = TargetTypes.NETWORK_BUILDER;
    static final ClassName ACTIVATION = TargetTypes.ACTIVATION;

    private final StrideOn strideOn;
    private final String groupsConstant;

    /**
     * @param strideOn where a downsampling bottleneck puts its stride
     * @param groupsConstant name of the constant holding the bottleneck's 3×3 groups
     */
    BlockMethods(StrideOn strideOn, String groupsConstant) {
        this.strideOn = strideOn;
        this.groupsConstant = groupsConstant;
    }

    /** The statement calling {@code method} for {@code block}: {@code x = basicBlock(b, "layer1.0", x, 64, 1)}. */
    CodeBlock call(String method, BlockKind kind, BlockSpec block) {
        if (kind == BlockKind.BASIC) {
            return CodeBlock.of("x = $L(b, $S, x, $L, $L)", method, block.prefix(), block.width(), block.stride());
        }
        return CodeBlock.of(
                "x = $L(b, $S, x, $L, $L, $L)",
                method,
                block.prefix(),
                block.innerWidth(),
                block.output().channels(),
                block.stride());
    }

    /** The private static method of {@code variant}, named {@code name}. */
    MethodSpec method(String name, BlockVariant variant) {
        boolean basic = variant.kind() == BlockKind.BASIC;
        MethodSpec.Builder m = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(ACTIVATION)
                .addJavadoc("$L", JavaText.wrap(javadoc(variant), ModelClassGenerator.JAVADOC_WIDTH))
                .addParameter(BUILDER, "b")
                .addParameter(String.class, "prefix")
                .addParameter(ACTIVATION, "x");
        if (basic) {
            m.addParameter(TypeName.INT, "width");
        } else {
            m.addParameter(TypeName.INT, "innerWidth").addParameter(TypeName.INT, "outChannels");
        }
        m.addParameter(TypeName.INT, "stride");
        String outChannels = basic ? "width" : "outChannels";
        String residual = variant.shortcut() == ShortcutKind.NONE ? "" : ", true";
        if (basic) {
            m.addStatement("$T out = b.conv(prefix + $S, x, width, 3, stride, 1, 1)", ACTIVATION, ".conv1")
                    .addStatement("out = b.relu(b.batchNorm(prefix + $S, out))", ".bn1")
                    .addStatement("out = b.conv(prefix + $S, out, width, 3, 1, 1, 1)", ".conv2")
                    .addStatement("out = b.batchNorm(prefix + $S, out$L)", ".bn2", residual);
        } else {
            boolean onFirst = strideOn == StrideOn.CONV_1X1;
            m.addStatement(
                            "$T out = b.conv(prefix + $S, x, innerWidth, 1, $L, 0, 1)",
                            ACTIVATION,
                            ".conv1",
                            onFirst ? "stride" : "1")
                    .addStatement("out = b.relu(b.batchNorm(prefix + $S, out))", ".bn1")
                    .addStatement(
                            "out = b.conv(prefix + $S, out, innerWidth, 3, $L, 1, $L)",
                            ".conv2",
                            onFirst ? "1" : "stride",
                            groupsConstant)
                    .addStatement("out = b.relu(b.batchNorm(prefix + $S, out))", ".bn2")
                    .addStatement("out = b.conv(prefix + $S, out, outChannels, 1, 1, 0, 1)", ".conv3")
                    .addStatement("out = b.batchNorm(prefix + $S, out$L)", ".bn3", residual);
        }
        switch (variant.shortcut()) {
            case IDENTITY:
                m.addStatement("return b.relu(b.add(prefix, out, x))");
                break;
            case ZERO_PAD:
                m.addStatement("$T shortcut = b.zeroPadShortcut(prefix, x, $L, stride)", ACTIVATION, outChannels)
                        .addStatement("return b.relu(b.add(prefix, out, shortcut))");
                break;
            case PROJECTION:
                m.addStatement(
                                "$T shortcut = b.conv(prefix + $S, x, $L, 1, stride, 0, 1)",
                                ACTIVATION,
                                ".downsample.0",
                                outChannels)
                        .addStatement("shortcut = b.batchNorm(prefix + $S, shortcut)", ".downsample.1")
                        .addStatement("return b.relu(b.add(prefix, out, shortcut))");
                break;
            case NONE:
                m.addStatement("return b.relu(out)");
                break;
            default:
                throw new IllegalArgumentException("unknown shortcut kind " + variant.shortcut());
        }
        return m.build();
    }

    private String javadoc(BlockVariant variant) {
        StringBuilder doc = new StringBuilder();
        if (variant.kind() == BlockKind.BASIC) {
            doc.append(variant.shortcut() == ShortcutKind.NONE ? "A plain basic block (no shortcut)" : "A basic block")
                    .append(": conv1 3x3 (stride) -> bn1 -> ReLU -> conv2 3x3 -> bn2");
        } else {
            doc.append(
                            variant.shortcut() == ShortcutKind.NONE
                                    ? "A plain bottleneck block (no shortcut)"
                                    : "A bottleneck block")
                    .append(": conv1 1x1")
                    .append(strideOn == StrideOn.CONV_1X1 ? " (stride)" : "")
                    .append(" -> bn1 -> ReLU -> conv2 3x3")
                    .append(strideOn == StrideOn.CONV_1X1 ? "" : " (stride)")
                    .append(", grouped -> bn2 -> ReLU -> conv3 1x1 -> bn3");
        }
        switch (variant.shortcut()) {
            case IDENTITY:
                doc.append(", plus the block's input unchanged, then ReLU.");
                break;
            case ZERO_PAD:
                doc.append(", plus the input subsampled by the stride with zero channels appended (option A),"
                        + " then ReLU.");
                break;
            case PROJECTION:
                doc.append(", plus a projection of the input (downsample.0: 1x1 conv with the stride,"
                        + " downsample.1: BN), then ReLU.");
                break;
            case NONE:
                doc.append(", then ReLU.");
                break;
            default:
                throw new IllegalArgumentException("unknown shortcut kind " + variant.shortcut());
        }
        if (variant.shortcut() != ShortcutKind.NONE) {
            doc.append(" The last BN ends the residual branch: zero-init of its gamma applies to it.");
        }
        return doc.toString();
    }
}
