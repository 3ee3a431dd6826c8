package dev.resnetdsl.grammar.analysis;

import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockSpec;
import dev.resnetdsl.grammar.spec.BlockType;
import dev.resnetdsl.grammar.spec.HeadSpec;
import dev.resnetdsl.grammar.spec.InitSpec;
import dev.resnetdsl.grammar.spec.LayerRow;
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
import java.util.Optional;

/**
 * Shape inference: walks a model whose every value is within {@link Limits}, layer by layer, and produces the
 * resolved stem, stages, blocks and per-layer rows with parameter and multiply-accumulate counts. It follows
 * torchvision's {@code models/resnet.py}: a bottleneck's inner width is {@code floor(width · width_per_group / 64)
 * · groups}; a block projects (option B) when its stride is not 1 or its channels change; only a stage's first
 * block has the stride.
 */
final class LayerPlanner {
    /** One stem layer whose values are within limits. */
    record StemConfig(boolean conv, int kernel, int channels, int stride, int padding, SourcePosition position) {}

    /** One stage whose values are within limits. */
    record StageConfig(String name, int width, int repeats, int stride, SourcePosition position) {}

    private final ModelProblems problems;
    private final List<LayerRow> rows = new ArrayList<>();
    private long params;
    private long macs;

    LayerPlanner(ModelProblems problems) {
        this.problems = problems;
    }

    Optional<ModelSpec> plan(
            String name,
            String sourceFile,
            String sourceText,
            SourcePosition modelPosition,
            Shape input,
            int classes,
            List<StemConfig> stemConfigs,
            BlockType block,
            ShortcutOption shortcut,
            List<StageConfig> stageConfigs,
            InitSpec init) {
        int before = problems.count();
        List<StemLayer> stem = new ArrayList<>();
        Shape current = input;
        int convs = 0;
        int pools = 0;
        for (StemConfig layer : stemConfigs) {
            long height = Math.floorDiv(current.height() + 2L * layer.padding() - layer.kernel(), layer.stride()) + 1;
            long width = Math.floorDiv(current.width() + 2L * layer.padding() - layer.kernel(), layer.stride()) + 1;
            String what = (layer.conv() ? "conv " : "maxpool ") + layer.kernel() + "x" + layer.kernel() + " /"
                    + layer.stride() + " pad " + layer.padding();
            if (height < 1 || width < 1) {
                problems.error(
                        layer.position(),
                        "spatial size collapses below 1 pixel in the stem: " + what + " turns " + current.height() + "x"
                                + current.width() + " into " + height + "x" + width);
                return Optional.empty();
            }
            if (layer.conv()) {
                Shape output = new Shape(layer.channels(), (int) height, (int) width);
                String suffix = convs == 0 ? "" : "_" + (convs + 1);
                convs++;
                String convName = "conv1" + suffix;
                String bnName = "bn1" + suffix;
                conv(convName, current, output, layer.kernel(), layer.stride(), 1);
                batchNorm(bnName, output);
                row((convs == 1 ? "relu" : "relu" + suffix), "relu", output, 0, 0);
                stem.add(new StemLayer.Conv(
                        convName,
                        bnName,
                        layer.kernel(),
                        layer.channels(),
                        layer.stride(),
                        layer.padding(),
                        current,
                        output,
                        layer.position()));
                current = output;
            } else {
                Shape output = new Shape(current.channels(), (int) height, (int) width);
                pools++;
                row(
                        pools == 1 ? "maxpool" : "maxpool_" + pools,
                        "maxpool " + layer.kernel() + "x" + layer.kernel() + "/" + layer.stride(),
                        output,
                        0,
                        0);
                stem.add(new StemLayer.MaxPool(
                        layer.kernel(), layer.stride(), layer.padding(), current, output, layer.position()));
                current = output;
            }
        }

        List<StageSpec> stages = new ArrayList<>();
        for (int s = 0; s < stageConfigs.size(); s++) {
            StageConfig stage = stageConfigs.get(s);
            Optional<StageSpec> resolved = stage(stage, "layer" + (s + 1), current, block, shortcut, init);
            if (resolved.isPresent()) {
                stages.add(resolved.get());
            }
            // Later stages are checked against the shape this stage would have had, so one bad stage does not
            // make every stage after it report a mismatch too. Widths are ≤ MAX_WIDTH and expansion ≤
            // MAX_EXPANSION, so the product fits an int.
            current = new Shape(
                    stage.width() * block.expansion(),
                    (current.height() - 1) / stage.stride() + 1,
                    (current.width() - 1) / stage.stride() + 1);
        }
        if (problems.count() != before) {
            return Optional.empty();
        }

        row("avgpool", "avgpool (global)", new Shape(current.channels(), 1, 1), 0, 0);
        long fcParams = (long) current.channels() * classes + classes;
        row(
                "fc",
                "fc " + current.channels() + "->" + classes,
                new Shape(classes, 1, 1),
                fcParams,
                (long) current.channels() * classes);
        if (params > Limits.MAX_PARAMS) {
            problems.error(
                    modelPosition,
                    "model '" + name + "' has " + params + " parameters, past the limit of " + Limits.MAX_PARAMS);
        }
        if (macs > Limits.MAX_MACS) {
            problems.error(
                    modelPosition,
                    "model '" + name + "' needs " + (macs == Long.MAX_VALUE ? "more than " : "") + macs
                            + " multiply-accumulates per image, past the limit of " + Limits.MAX_MACS);
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new ModelSpec(
                name,
                sourceFile,
                sourceText,
                input,
                classes,
                stem,
                block,
                shortcut,
                stages,
                new HeadSpec(current.channels(), classes),
                init,
                rows,
                params,
                macs));
    }

    private Optional<StageSpec> stage(
            StageConfig stage, String prefix, Shape input, BlockType block, ShortcutOption shortcut, InitSpec init) {
        String quoted = "'" + stage.name() + "'";
        long outChannels = (long) stage.width() * block.expansion();
        long inner = block.kind() == BlockKind.BOTTLENECK
                ? ((long) stage.width() * block.widthPerGroup() / 64) * block.groups()
                : stage.width();
        boolean ok = true;
        if (outChannels > Limits.MAX_CHANNELS) {
            problems.error(
                    stage.position(),
                    "stage " + quoted + " has " + outChannels + " output channels (width " + stage.width()
                            + " x expansion " + block.expansion() + "), past the limit of " + Limits.MAX_CHANNELS);
            ok = false;
        }
        if (stage.width() % block.groups() != 0) {
            problems.error(
                    stage.position(),
                    "groups " + block.groups() + " does not divide the width " + stage.width() + " of stage " + quoted);
            ok = false;
        } else if (inner < 1) {
            problems.error(
                    stage.position(),
                    "stage " + quoted + " has no inner channels: width " + stage.width() + " x width_per_group "
                            + block.widthPerGroup() + " / 64 rounds down to 0");
            ok = false;
        } else if (inner > Limits.MAX_CHANNELS) {
            problems.error(
                    stage.position(),
                    "stage " + quoted + " has " + inner + " inner channels, past the limit of " + Limits.MAX_CHANNELS);
            ok = false;
        }
        if (input.height() < stage.stride() || input.width() < stage.stride()) {
            problems.error(
                    stage.position(),
                    "spatial size collapses below 1 pixel at stage " + quoted + ": its " + input.height() + "x"
                            + input.width() + " input cannot be downsampled by stride " + stage.stride());
            ok = false;
        }
        if (!ok) {
            return Optional.empty();
        }
        List<BlockSpec> blocks = new ArrayList<>();
        boolean reported = false;
        Shape current = input;
        for (int i = 0; i < stage.repeats(); i++) {
            int stride = i == 0 ? stage.stride() : 1;
            Shape output = new Shape(
                    (int) outChannels, (current.height() - 1) / stride + 1, (current.width() - 1) / stride + 1);
            boolean changes = stride != 1 || current.channels() != outChannels;
            ShortcutKind kind;
            switch (shortcut) {
                case NONE:
                    kind = ShortcutKind.NONE;
                    break;
                case C:
                    kind = ShortcutKind.PROJECTION;
                    break;
                case B:
                    kind = changes ? ShortcutKind.PROJECTION : ShortcutKind.IDENTITY;
                    break;
                case A:
                    kind = changes ? ShortcutKind.ZERO_PAD : ShortcutKind.IDENTITY;
                    if (changes && output.channels() < current.channels() && !reported) {
                        reported = true;
                        problems.error(
                                stage.position(),
                                "shortcut A cannot reduce channels: block " + (i + 1) + " of stage " + quoted
                                        + " goes from " + current.channels() + " to " + output.channels()
                                        + " channels (use shortcut B)");
                    }
                    break;
                default:
                    kind = ShortcutKind.IDENTITY;
                    if (changes && !reported) {
                        reported = true;
                        problems.error(
                                stage.position(),
                                "identity shortcut cannot change the shape: block " + (i + 1) + " of stage "
                                        + quoted + " goes from " + current + " to " + output
                                        + " (use shortcut A or B)");
                    }
            }
            String blockPrefix = prefix + "." + i;
            block(blockPrefix, current, output, (int) inner, stride, block, kind);
            blocks.add(new BlockSpec(
                    blockPrefix,
                    current,
                    output,
                    stage.width(),
                    (int) inner,
                    stride,
                    kind,
                    init.zeroInitLastBn() && kind != ShortcutKind.NONE));
            current = output;
        }
        return Optional.of(new StageSpec(
                stage.name(),
                prefix,
                stage.width(),
                stage.repeats(),
                stage.stride(),
                blocks,
                current,
                stage.position()));
    }

    private void block(
            String prefix, Shape input, Shape output, int inner, int stride, BlockType block, ShortcutKind kind) {
        int relus = 0;
        if (block.kind() == BlockKind.BASIC) {
            Shape mid = new Shape(inner, output.height(), output.width());
            conv(prefix + ".conv1", input, mid, 3, stride, 1);
            batchNorm(prefix + ".bn1", mid);
            row(prefix + ".relu" + (++relus), "relu", mid, 0, 0);
            conv(prefix + ".conv2", mid, output, 3, 1, 1);
            batchNorm(prefix + ".bn2", output);
        } else {
            int stride1 = block.strideOn() == StrideOn.CONV_1X1 ? stride : 1;
            int stride3 = block.strideOn() == StrideOn.CONV_1X1 ? 1 : stride;
            Shape afterFirst = new Shape(inner, (input.height() - 1) / stride1 + 1, (input.width() - 1) / stride1 + 1);
            conv(prefix + ".conv1", input, afterFirst, 1, stride1, 1);
            batchNorm(prefix + ".bn1", afterFirst);
            row(prefix + ".relu" + (++relus), "relu", afterFirst, 0, 0);
            Shape mid = new Shape(inner, output.height(), output.width());
            conv(prefix + ".conv2", afterFirst, mid, 3, stride3, block.groups());
            batchNorm(prefix + ".bn2", mid);
            row(prefix + ".relu" + (++relus), "relu", mid, 0, 0);
            conv(prefix + ".conv3", mid, output, 1, 1, 1);
            batchNorm(prefix + ".bn3", output);
        }
        switch (kind) {
            case PROJECTION:
                conv(prefix + ".downsample.0", input, output, 1, stride, 1);
                batchNorm(prefix + ".downsample.1", output);
                break;
            case ZERO_PAD:
                row(
                        prefix + ".shortcut",
                        "zero-pad shortcut /" + stride + " +" + (output.channels() - input.channels()) + "ch",
                        output,
                        0,
                        0);
                break;
            default:
                break;
        }
        if (kind != ShortcutKind.NONE) {
            row(prefix + ".add", "add", output, 0, 0);
        }
        row(prefix + ".relu" + (++relus), "relu", output, 0, 0);
    }

    private void conv(String name, Shape input, Shape output, int kernel, int stride, int groups) {
        long weights = saturatingMultiply(
                saturatingMultiply((long) output.channels(), input.channels() / groups), (long) kernel * kernel);
        long work = saturatingMultiply(weights, (long) output.height() * output.width());
        row(
                name,
                "conv " + kernel + "x" + kernel + "/" + stride + (groups == 1 ? "" : " g" + groups),
                output,
                weights,
                work);
    }

    private void batchNorm(String name, Shape output) {
        row(name, "bn", output, 2L * output.channels(), 0);
    }

    private void row(String name, String kind, Shape output, long rowParams, long rowMacs) {
        rows.add(new LayerRow(name, kind, output, rowParams, rowMacs));
        params = saturatingAdd(params, rowParams);
        macs = saturatingAdd(macs, rowMacs);
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
