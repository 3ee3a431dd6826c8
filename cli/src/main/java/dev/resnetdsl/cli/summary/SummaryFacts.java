package dev.resnetdsl.cli.summary;

import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockSpec;
import dev.resnetdsl.grammar.spec.BlockType;
import dev.resnetdsl.grammar.spec.LayerRow;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.ShortcutOption;
import dev.resnetdsl.grammar.spec.StageSpec;
import dev.resnetdsl.grammar.spec.StrideOn;
import java.util.Locale;

/** Derived facts that several summary renderers show: per-stage totals and one-line descriptions. */
public final class SummaryFacts {
    private SummaryFacts() {}

    /** Trainable parameters of the stage's layers ({@code layerN.*}). */
    public static long stageParams(ModelSpec model, StageSpec stage) {
        return model.layers().stream()
                .filter(r -> r.name().startsWith(stage.prefix() + "."))
                .mapToLong(LayerRow::params)
                .sum();
    }

    /** Multiply-accumulates of the stage's layers for one image. */
    public static long stageMacs(ModelSpec model, StageSpec stage) {
        return model.layers().stream()
                .filter(r -> r.name().startsWith(stage.prefix() + "."))
                .mapToLong(LayerRow::macs)
                .sum();
    }

    /** The block's layers as the paper's Table 1 writes them: {@code [1×1, 64; 3×3, 64; 1×1, 256]}. */
    public static String blockRecipe(ModelSpec model, StageSpec stage) {
        BlockType type = model.block();
        BlockSpec first = stage.blocks().get(0);
        int out = first.output().channels();
        if (type.kind() == BlockKind.BASIC) {
            return "[3×3, " + out + "; 3×3, " + out + "]";
        }
        String groups = type.groups() > 1 ? ", C=" + type.groups() : "";
        return "[1×1, " + first.innerWidth() + "; 3×3, " + first.innerWidth() + groups + "; 1×1, " + out + "]";
    }

    /** {@code bottleneck (expansion 4, stride on the 3×3 — torchvision "v1.5")}. */
    public static String blockDescription(BlockType type) {
        if (type.kind() == BlockKind.BASIC) {
            return "basic (3×3, 3×3; expansion 1)";
        }
        StringBuilder sb = new StringBuilder("bottleneck (1×1, 3×3, 1×1; expansion ").append(type.expansion());
        if (type.groups() > 1) {
            sb.append(", groups ").append(type.groups());
        }
        if (type.widthPerGroup() != 64) {
            sb.append(", width per group ").append(type.widthPerGroup());
        }
        sb.append(
                type.strideOn() == StrideOn.CONV_3X3
                        ? ", stride on the 3×3 — torchvision \"v1.5\")"
                        : ", stride on the first 1×1 — the paper's \"v1\")");
        return sb.toString();
    }

    /** The shortcut option as the language spells it: {@code A}, {@code B}, {@code C}, {@code identity}, {@code none}. */
    public static String shortcutName(ShortcutOption option) {
        switch (option) {
            case IDENTITY:
                return "identity";
            case NONE:
                return "none";
            default:
                return option.name();
        }
    }

    /** 1234567 → {@code 1,234,567}. */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 4089184256 → {@code 4.09 G}. */
    public static String human(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return Long.toString(n);
    }
}
