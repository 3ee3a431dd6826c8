package dev.resnetdsl.grammar.analysis;

import dev.resnetdsl.grammar.ast.BlockStatement;
import dev.resnetdsl.grammar.ast.Dims;
import dev.resnetdsl.grammar.ast.HeadItem;
import dev.resnetdsl.grammar.ast.HeadStatement;
import dev.resnetdsl.grammar.ast.InitStatement;
import dev.resnetdsl.grammar.ast.Num;
import dev.resnetdsl.grammar.ast.Option;
import dev.resnetdsl.grammar.ast.OptionValue;
import dev.resnetdsl.grammar.ast.StageStatement;
import dev.resnetdsl.grammar.ast.StemItem;
import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockType;
import dev.resnetdsl.grammar.spec.InitSpec;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.Shape;
import dev.resnetdsl.grammar.spec.ShortcutOption;
import dev.resnetdsl.grammar.spec.SourcePosition;
import dev.resnetdsl.grammar.spec.StrideOn;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one resolved model against the language's rules and limits and, when it is valid, computes every shape
 * into a {@link ModelSpec}. All problems of the model are reported, not only the first; shapes are only worked out
 * once every value is known to be within {@link Limits}, so no list is built for an absurd spec.
 */
public final class Analyzer {
    private final ModelProblems problems;

    private Analyzer(ModelProblems problems) {
        this.problems = problems;
    }

    /**
     * Analyzes {@code model}; errors go to {@code problems}.
     *
     * @param sourceFile the path of the file the model is declared in, as given
     * @return the resolved model, or empty when it has errors
     */
    public static Optional<ModelSpec> analyze(ModelDefinition model, String sourceFile, Problems problems) {
        return new Analyzer(new ModelProblems(problems, model.decl())).run(model, sourceFile);
    }

    private Optional<ModelSpec> run(ModelDefinition model, String sourceFile) {
        int before = problems.count();
        SourcePosition at = model.decl().name().position();
        String name = model.name();

        Shape input = null;
        if (model.input().isEmpty()) {
            problems.error(at, "model '" + name + "' has no input statement (for example: input 3x224x224)");
        } else {
            input = input(model.input().get().shape());
        }
        Integer classes = null;
        if (model.classes().isEmpty()) {
            problems.error(at, "model '" + name + "' has no classes statement (for example: classes 1000)");
        } else {
            classes = bounded(model.classes().get().count(), 1, Limits.MAX_CLASSES, "classes");
        }
        List<LayerPlanner.StemConfig> stem = null;
        if (model.stem().isEmpty()) {
            problems.error(
                    at, "model '" + name + "' has no stem (for example: stem { conv 7x7 64 /2; maxpool 3x3 /2 })");
        } else {
            stem = stem(model.stem().get().layers(), model.stem().get().position());
        }
        BlockType block = null;
        if (model.block().isEmpty()) {
            problems.error(at, "model '" + name + "' has no block statement (for example: block basic)");
        } else {
            block = block(model.block().get());
        }
        ShortcutOption shortcut = model.shortcut().isEmpty()
                ? ShortcutOption.B
                : shortcut(model.shortcut().get().option());
        List<LayerPlanner.StageConfig> stages = stages(model, at);
        if (model.head().isPresent() && classes != null) {
            head(model.head().get(), classes);
        }
        InitSpec init =
                model.init().isEmpty() ? InitSpec.defaults() : init(model.init().get());

        if (input == null || stem == null || block == null || shortcut == null || stages == null) {
            return Optional.empty();
        }
        // Shapes are worked out even when, say, classes or init are wrong, so one run reports shape errors too.
        boolean valid = problems.count() == before && classes != null && init != null;
        Optional<ModelSpec> spec = new LayerPlanner(problems)
                .plan(
                        name,
                        sourceFile,
                        model.decl().sourceText(),
                        at,
                        input,
                        classes == null ? 1 : classes,
                        stem,
                        block,
                        shortcut,
                        stages,
                        init == null ? InitSpec.defaults() : init);
        return valid ? spec : Optional.empty();
    }

    private Shape input(Dims dims) {
        if (dims.values().size() != 3) {
            problems.error(
                    dims.position(), "input needs channels x height x width, like 3x224x224, found " + dims.text());
            return null;
        }
        Integer c = bounded(dims.values().get(0), dims.position(), 1, Limits.MAX_INPUT_CHANNELS, "input channels");
        Integer h = bounded(dims.values().get(1), dims.position(), 1, Limits.MAX_INPUT_SIZE, "input height");
        Integer w = bounded(dims.values().get(2), dims.position(), 1, Limits.MAX_INPUT_SIZE, "input width");
        return c == null || h == null || w == null ? null : new Shape(c, h, w);
    }

    private List<LayerPlanner.StemConfig> stem(List<StemItem> items, SourcePosition stemPosition) {
        if (items.isEmpty()) {
            problems.error(stemPosition, "the stem needs at least one layer (for example: conv 3x3 16)");
            return null;
        }
        if (items.size() > Limits.MAX_STEM_LAYERS) {
            problems.error(
                    items.get(Limits.MAX_STEM_LAYERS).position(),
                    "the stem has " + items.size() + " layers, past the limit of " + Limits.MAX_STEM_LAYERS);
            return null;
        }
        List<LayerPlanner.StemConfig> configs = new ArrayList<>();
        boolean ok = true;
        for (StemItem item : items) {
            Integer kernel = kernel(item.kernel());
            Integer stride = item.stride().isEmpty()
                    ? Integer.valueOf(1)
                    : stride(item.stride().get());
            Integer channels = null;
            boolean conv = item instanceof StemItem.Conv;
            if (item instanceof StemItem.Conv c) {
                channels = bounded(c.channels(), 1, Limits.MAX_WIDTH, "conv output channels");
            }
            Integer padding = null;
            if (item.padding().isPresent()) {
                padding = bounded(item.padding().get(), 0, Limits.MAX_PADDING, "padding");
                if (!conv && padding != null && kernel != null && padding > kernel / 2) {
                    problems.error(
                            item.padding().get().position(),
                            "maxpool padding must be at most half the kernel (" + kernel / 2 + "), found " + padding);
                    padding = null;
                }
            } else if (kernel != null) {
                padding = kernel / 2;
            }
            if (kernel == null || stride == null || padding == null || (conv && channels == null)) {
                ok = false;
                continue;
            }
            configs.add(
                    new LayerPlanner.StemConfig(conv, kernel, conv ? channels : 0, stride, padding, item.position()));
        }
        return ok ? configs : null;
    }

    private Integer kernel(Dims dims) {
        if (dims.values().size() != 2) {
            problems.error(dims.position(), "a kernel is two equal sizes like 3x3, found " + dims.text());
            return null;
        }
        if (!dims.values().get(0).equals(dims.values().get(1))) {
            problems.error(dims.position(), "kernels must be square, like 3x3, found " + dims.text());
            return null;
        }
        return bounded(dims.values().get(0), dims.position(), 1, Limits.MAX_KERNEL, "kernel size");
    }

    private Integer stride(Num num) {
        if (!num.value().equals(BigInteger.ONE) && !num.value().equals(BigInteger.TWO)) {
            problems.error(num.position(), "stride must be 1 or 2, found " + num.value());
            return null;
        }
        return num.value().intValue();
    }

    private BlockType block(BlockStatement statement) {
        String kindName = statement.kind().text();
        BlockKind kind;
        if (kindName.equals("basic")) {
            kind = BlockKind.BASIC;
        } else if (kindName.equals("bottleneck")) {
            kind = BlockKind.BOTTLENECK;
        } else {
            problems.error(
                    statement.kind().position(), "unknown block type '" + kindName + "'; expected basic or bottleneck");
            return null;
        }
        boolean ok = true;
        Integer expansion = kind == BlockKind.BASIC ? 1 : 4;
        Integer groups = 1;
        Integer widthPerGroup = 64;
        StrideOn strideOn = StrideOn.CONV_3X3;
        Set<String> seen = new HashSet<>();
        for (Option option : statement.options()) {
            String optionName = option.name().text();
            SourcePosition at = option.name().position();
            if (!seen.add(optionName)) {
                problems.error(at, "block option '" + optionName + "' is given twice");
                ok = false;
                continue;
            }
            switch (optionName) {
                case "expansion":
                    expansion = numberOption(option, "block", "expansion 4", 1, Limits.MAX_EXPANSION);
                    if (kind == BlockKind.BASIC && expansion != null && expansion != 1) {
                        problems.error(at, "basic blocks have expansion 1, found expansion " + expansion);
                        expansion = null;
                    }
                    break;
                case "groups":
                    groups = numberOption(option, "block", "groups 32", 1, Limits.MAX_GROUPS);
                    if (kind == BlockKind.BASIC && groups != null && groups != 1) {
                        problems.error(at, "basic blocks support only groups 1, found groups " + groups);
                        groups = null;
                    }
                    break;
                case "width_per_group":
                    widthPerGroup = numberOption(option, "block", "width_per_group 4", 1, Limits.MAX_WIDTH_PER_GROUP);
                    if (kind == BlockKind.BASIC && widthPerGroup != null && widthPerGroup != 64) {
                        problems.error(
                                at,
                                "basic blocks support only width_per_group 64, found width_per_group " + widthPerGroup);
                        widthPerGroup = null;
                    }
                    break;
                case "stride_on":
                    strideOn = strideOn(option);
                    if (kind == BlockKind.BASIC && strideOn != null) {
                        problems.error(at, "stride_on applies only to bottleneck blocks");
                        strideOn = null;
                    }
                    break;
                default:
                    problems.error(
                            at,
                            "unknown block option '" + optionName
                                    + "'; expected expansion, groups, width_per_group or stride_on");
                    ok = false;
            }
        }
        if (!ok || expansion == null || groups == null || widthPerGroup == null || strideOn == null) {
            return null;
        }
        return new BlockType(kind, expansion, groups, widthPerGroup, strideOn);
    }

    private StrideOn strideOn(Option option) {
        Optional<OptionValue> value = option.value();
        if (value.isPresent() && value.get() instanceof Dims dims) {
            String text = dims.text();
            if (text.equals("1x1")) {
                return StrideOn.CONV_1X1;
            }
            if (text.equals("3x3")) {
                return StrideOn.CONV_3X3;
            }
        }
        SourcePosition at =
                value.isPresent() ? value.get().position() : option.name().position();
        problems.error(
                at,
                "stride_on needs 1x1 or 3x3"
                        + (value.isPresent() ? ", found " + value.get().text() : ""));
        return null;
    }

    private Integer numberOption(Option option, String statement, String example, long min, long max) {
        String optionName = option.name().text();
        if (option.value().isEmpty() || !(option.value().get() instanceof Num num)) {
            SourcePosition at = option.value().isPresent()
                    ? option.value().get().position()
                    : option.name().position();
            problems.error(
                    at,
                    statement + " option '" + optionName + "' needs a number, like " + example
                            + option.value().map(v -> ", found " + v.text()).orElse(""));
            return null;
        }
        return bounded(num, min, max, optionName);
    }

    private ShortcutOption shortcut(dev.resnetdsl.grammar.ast.Name option) {
        switch (option.text()) {
            case "A":
                return ShortcutOption.A;
            case "B":
                return ShortcutOption.B;
            case "C":
                return ShortcutOption.C;
            case "identity":
                return ShortcutOption.IDENTITY;
            case "none":
                return ShortcutOption.NONE;
            default:
                problems.error(
                        option.position(),
                        "unknown shortcut option '" + option.text() + "'; expected A, B, C, identity or none");
                return null;
        }
    }

    private List<LayerPlanner.StageConfig> stages(ModelDefinition model, SourcePosition at) {
        if (model.stages().isEmpty()) {
            problems.error(at, "model '" + model.name() + "' has no stages (for example: stage conv2_x 64 x2)");
            return null;
        }
        List<LayerPlanner.StageConfig> configs = new ArrayList<>();
        boolean ok = true;
        long totalBlocks = 0;
        for (StageStatement stage : model.stages()) {
            Integer width = bounded(stage.width(), 1, Limits.MAX_WIDTH, "stage width");
            Integer repeats = bounded(stage.repeats(), 1, Limits.MAX_REPEATS, "repeat count");
            Integer stride = stage.stride().isEmpty()
                    ? Integer.valueOf(1)
                    : stride(stage.stride().get());
            if (width == null || repeats == null || stride == null) {
                ok = false;
                continue;
            }
            totalBlocks += repeats;
            configs.add(new LayerPlanner.StageConfig(stage.name().text(), width, repeats, stride, stage.position()));
        }
        if (ok && totalBlocks > Limits.MAX_TOTAL_BLOCKS) {
            problems.error(
                    at,
                    "model '" + model.name() + "' has " + totalBlocks + " blocks, past the limit of "
                            + Limits.MAX_TOTAL_BLOCKS);
            return null;
        }
        return ok ? configs : null;
    }

    private void head(HeadStatement head, int classes) {
        List<HeadItem> layers = head.layers();
        if (layers.size() != 2
                || !(layers.get(0) instanceof HeadItem.AvgPool)
                || !(layers.get(1) instanceof HeadItem.Fc)) {
            problems.error(
                    head.position(), "the head must be 'avgpool' then 'fc classes': head { avgpool; fc classes }");
            return;
        }
        HeadItem.Fc fc = (HeadItem.Fc) layers.get(1);
        if (fc.count().isPresent() && !fc.count().get().value().equals(BigInteger.valueOf(classes))) {
            problems.error(
                    fc.count().get().position(),
                    "fc has " + fc.count().get().value() + " outputs but the model has " + classes
                            + " classes (write 'fc classes')");
        }
    }

    private InitSpec init(InitStatement statement) {
        String fanMode = "fan_out";
        boolean zeroLastBn = false;
        long seed = 0;
        boolean ok = true;
        Set<String> seen = new HashSet<>();
        for (Option option : statement.options()) {
            String optionName = option.name().text();
            SourcePosition at = option.name().position();
            if (!seen.add(optionName)) {
                problems.error(at, "init option '" + optionName + "' is given twice");
                ok = false;
                continue;
            }
            switch (optionName) {
                case "kaiming_normal":
                case "zero_last_bn":
                case "fan_out":
                case "fan_in":
                    if (option.value().isPresent()) {
                        problems.error(
                                option.value().get().position(), "init option '" + optionName + "' takes no value");
                        ok = false;
                    }
                    if (optionName.equals("zero_last_bn")) {
                        zeroLastBn = true;
                    } else if (optionName.startsWith("fan_")) {
                        if (seen.contains(optionName.equals("fan_in") ? "fan_out" : "fan_in")) {
                            problems.error(at, "init takes fan_in or fan_out, not both");
                            ok = false;
                        }
                        fanMode = optionName;
                    }
                    break;
                case "seed":
                    if (option.value().isEmpty() || !(option.value().get() instanceof Num num)) {
                        problems.error(
                                option.value().isPresent()
                                        ? option.value().get().position()
                                        : at,
                                "init option 'seed' needs a number, like seed 42");
                        ok = false;
                    } else if (num.value().bitLength() > 63) {
                        problems.error(
                                num.position(),
                                "seed " + num.value() + " does not fit in 64 bits (at most " + Long.MAX_VALUE + ")");
                        ok = false;
                    } else {
                        seed = num.value().longValueExact();
                    }
                    break;
                default:
                    problems.error(
                            at,
                            "unknown init option '" + optionName
                                    + "'; expected kaiming_normal, fan_out, fan_in, seed or zero_last_bn");
                    ok = false;
            }
        }
        return ok ? new InitSpec(fanMode, zeroLastBn, seed) : null;
    }

    private Integer bounded(Num num, long min, long max, String what) {
        return bounded(num.value(), num.position(), min, max, what);
    }

    /** {@code value} as an int when {@code min ≤ value ≤ max}; otherwise an error and {@code null}. */
    private Integer bounded(BigInteger value, SourcePosition at, long min, long max, String what) {
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            problems.error(at, what + " must be at least " + min + ", found " + value);
            return null;
        }
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.error(at, what + " " + value + " is past the limit of " + max);
            return null;
        }
        return value.intValueExact();
    }
}
