package dev.resnetdsl.cli.summary;

import static dev.resnetdsl.cli.summary.SummaryFacts.grouped;
import static dev.resnetdsl.cli.summary.SummaryFacts.human;

import dev.resnetdsl.grammar.spec.LayerRow;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.StageSpec;
import java.util.Locale;

/** The per-layer table, like torchinfo's or Keras' {@code model.summary()}. */
public final class TableSummary {
    private TableSummary() {}

    /** Renders the whole summary: header, one row per layer, per-stage overview, totals. */
    public static String render(ModelSpec model) {
        int nameWidth = Math.max(
                24,
                model.layers().stream().mapToInt(r -> r.name().length()).max().orElse(0) + 2);
        int kindWidth = Math.max(
                14,
                model.layers().stream().mapToInt(r -> r.kind().length()).max().orElse(0) + 2);
        String rowFormat = "%-" + nameWidth + "s%-" + kindWidth + "s%14s%14s%18s%n";
        int width = nameWidth + kindWidth + 14 + 14 + 18;
        StringBuilder sb = new StringBuilder();
        sb.append(model.name()).append("  (").append(model.sourceFile()).append(")\n");
        sb.append("input ")
                .append(model.input())
                .append(", ")
                .append(model.classes())
                .append(" classes; block ")
                .append(SummaryFacts.blockDescription(model.block()))
                .append("; shortcut ")
                .append(SummaryFacts.shortcutName(model.shortcut()))
                .append('\n');
        sb.append("=".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, rowFormat, "Layer", "Kind", "Output", "Params", "MACs"));
        sb.append("-".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, rowFormat, "input", "input", model.input(), "", ""));
        for (LayerRow row : model.layers()) {
            sb.append(String.format(
                    Locale.ROOT,
                    rowFormat,
                    row.name(),
                    row.kind(),
                    row.output(),
                    row.params() == 0 ? "" : grouped(row.params()),
                    row.macs() == 0 ? "" : grouped(row.macs())));
        }
        sb.append("=".repeat(width)).append('\n');
        sb.append("Stages\n");
        String stageFormat = "  %-10s %-8s %-44s %4s %3s  %-12s %12s %10s%n";
        sb.append(String.format(
                Locale.ROOT, stageFormat, "name", "prefix", "block", "×", "/", "output", "params", "MACs"));
        for (StageSpec stage : model.stages()) {
            sb.append(String.format(
                    Locale.ROOT,
                    stageFormat,
                    stage.name(),
                    stage.prefix(),
                    SummaryFacts.blockRecipe(model, stage),
                    stage.repeats(),
                    stage.stride(),
                    stage.output(),
                    grouped(SummaryFacts.stageParams(model, stage)),
                    human(SummaryFacts.stageMacs(model, stage))));
        }
        sb.append("=".repeat(width)).append('\n');
        sb.append("Total params: ")
                .append(grouped(model.params()))
                .append(" (trainable; BN running statistics excluded)\n");
        sb.append("Total MACs:   ")
                .append(grouped(model.macs()))
                .append(" (")
                .append(human(model.macs()))
                .append(" multiply-accumulates per image; convolutions and fc)\n");
        return sb.toString();
    }
}
