package dev.resnetdsl.cli.summary;

import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.StageSpec;
import dev.resnetdsl.grammar.spec.StemLayer;
import java.util.ArrayList;
import java.util.List;

/** {@code summary --dot}: the architecture stage by stage as a Graphviz digraph (render with {@code dot -Tsvg}). */
public final class DotSummary {
    private DotSummary() {}

    /** The Graphviz source. */
    public static String render(ModelSpec model) {
        StringBuilder sb = new StringBuilder();
        sb.append("digraph \"").append(escape(model.name())).append("\" {\n");
        sb.append("  rankdir=TB;\n");
        sb.append("  labelloc=t; label=\"").append(escape(title(model))).append("\";\n");
        sb.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#eef3fb\"];\n");
        sb.append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        List<String[]> nodes = new ArrayList<>(); // id, label, color
        nodes.add(new String[] {"input", "input\\n" + model.input(), "#ffffff"});
        int i = 0;
        for (StemLayer layer : model.stem()) {
            i++;
            if (layer instanceof StemLayer.Conv conv) {
                nodes.add(new String[] {
                    "stem" + i,
                    conv.convName() + ": " + conv.kernel() + "×" + conv.kernel() + " conv, " + conv.outChannels()
                            + ", /" + conv.stride() + " + BN + ReLU\\n" + conv.output(),
                    "#dde8f7"
                });
            } else if (layer instanceof StemLayer.MaxPool pool) {
                nodes.add(new String[] {
                    "stem" + i,
                    pool.kernel() + "×" + pool.kernel() + " max pool, /" + pool.stride() + "\\n" + pool.output(),
                    "#dde8f7"
                });
            }
        }
        String[] palette = {"#fde2c8", "#fbd0a6", "#f9bd84", "#f6a962", "#f39540", "#ef8230"};
        int s = 0;
        for (StageSpec stage : model.stages()) {
            String label = stage.name() + " (" + stage.prefix() + ")\\n" + stage.repeats() + " × "
                    + SummaryFacts.blockRecipe(model, stage) + (stage.stride() > 1 ? ", /" + stage.stride() : "")
                    + "\\n→ " + stage.output() + " · " + SummaryFacts.human(SummaryFacts.stageParams(model, stage))
                    + " params · " + SummaryFacts.human(SummaryFacts.stageMacs(model, stage)) + " MACs";
            nodes.add(new String[] {"stage" + s, label, palette[Math.min(s, palette.length - 1)]});
            s++;
        }
        nodes.add(
                new String[] {"avgpool", "global average pool\\n" + model.head().inFeatures() + "×1×1", "#e3f2e1"});
        nodes.add(
                new String[] {"fc", "fc " + model.head().inFeatures() + " → " + model.classes() + ", softmax", "#e3f2e1"
                });
        for (String[] node : nodes) {
            sb.append("  ")
                    .append(node[0])
                    .append(" [label=\"")
                    .append(escapeKeepingNewlines(node[1]))
                    .append("\", fillcolor=\"")
                    .append(node[2])
                    .append("\"];\n");
        }
        for (int n = 1; n < nodes.size(); n++) {
            sb.append("  ")
                    .append(nodes.get(n - 1)[0])
                    .append(" -> ")
                    .append(nodes.get(n)[0])
                    .append(";\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    static String title(ModelSpec model) {
        return model.name() + " — " + SummaryFacts.grouped(model.params()) + " params, "
                + SummaryFacts.human(model.macs()) + " MACs, shortcut " + SummaryFacts.shortcutName(model.shortcut());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String escapeKeepingNewlines(String s) {
        return s.replace("\"", "\\\"");
    }
}
