package dev.resnetdsl.cli.summary;

import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.Shape;
import dev.resnetdsl.grammar.spec.StageSpec;
import dev.resnetdsl.grammar.spec.StemLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code summary --svg}: a self-contained picture of the architecture, drawn without Graphviz. One box per
 * stem layer, stage and head layer, top to bottom; a box's width grows with its channel count and its
 * tint with depth, so the funnel of a ResNet (fewer pixels, more channels) shows at a glance.
 */
public final class SvgSummary {
    private static final int WIDTH = 760;
    private static final int BOX_HEIGHT = 46;
    private static final int GAP = 22;
    private static final int TOP = 64;

    private SvgSummary() {}

    private record Box(String title, String detail, Shape shape, String fill) {}

    /** The SVG document. */
    public static String render(ModelSpec model) {
        List<Box> boxes = new ArrayList<>();
        boxes.add(new Box("input", "", model.input(), "#ffffff"));
        for (StemLayer layer : model.stem()) {
            if (layer instanceof StemLayer.Conv conv) {
                boxes.add(new Box(
                        conv.convName() + " · " + conv.kernel() + "×" + conv.kernel() + " conv " + conv.outChannels()
                                + (conv.stride() > 1 ? " /" + conv.stride() : ""),
                        "BN, ReLU",
                        conv.output(),
                        "#dde8f7"));
            } else if (layer instanceof StemLayer.MaxPool pool) {
                boxes.add(new Box(
                        pool.kernel() + "×" + pool.kernel() + " max pool"
                                + (pool.stride() > 1 ? " /" + pool.stride() : ""),
                        "",
                        pool.output(),
                        "#dde8f7"));
            }
        }
        String[] palette = {"#fde2c8", "#fbd0a6", "#f9bd84", "#f6a962", "#f39540", "#ef8230"};
        int s = 0;
        for (StageSpec stage : model.stages()) {
            boxes.add(new Box(
                    stage.name() + " (" + stage.prefix() + ") · " + stage.repeats() + " × "
                            + SummaryFacts.blockRecipe(model, stage)
                            + (stage.stride() > 1 ? " /" + stage.stride() : ""),
                    SummaryFacts.human(SummaryFacts.stageParams(model, stage)) + " params · "
                            + SummaryFacts.human(SummaryFacts.stageMacs(model, stage)) + " MACs",
                    stage.output(),
                    palette[Math.min(s++, palette.length - 1)]));
        }
        boxes.add(new Box("global average pool", "", new Shape(model.head().inFeatures(), 1, 1), "#e3f2e1"));
        boxes.add(new Box(
                "fc " + model.head().inFeatures() + " → " + model.classes() + ", softmax",
                "",
                new Shape(model.classes(), 1, 1),
                "#e3f2e1"));

        int maxChannels =
                boxes.stream().mapToInt(b -> b.shape().channels()).max().orElse(1);
        int height = TOP + boxes.size() * (BOX_HEIGHT + GAP) + 20;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        sb.append(text(WIDTH / 2, 28, 17, "bold", "middle", model.name()));
        sb.append(text(
                WIDTH / 2,
                48,
                12,
                "normal",
                "middle",
                DotSummary.title(model).substring(model.name().length() + 3)));
        int y = TOP;
        int centre = 300;
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i);
            // Width grows with log2(channels): 1 channel → 200 px, the widest layer → 560 px.
            double fraction = Math.log(box.shape().channels()) / Math.log(Math.max(2, maxChannels));
            int w = (int) Math.round(200 + 360 * Math.max(0, Math.min(1, fraction)));
            int x = centre - w / 2;
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"%s\" stroke=\"#5b6b80\"/>%n",
                    x,
                    y,
                    w,
                    BOX_HEIGHT,
                    box.fill()));
            boolean twoLines = !box.detail().isEmpty();
            sb.append(text(centre, y + (twoLines ? 19 : 28), 12, "bold", "middle", box.title()));
            if (twoLines) {
                sb.append(text(centre, y + 36, 11, "normal", "middle", box.detail()));
            }
            sb.append(text(
                    centre + 290, y + 28, 12, "normal", "start", box.shape().toString()));
            if (i + 1 < boxes.size()) {
                int y1 = y + BOX_HEIGHT;
                int y2 = y + BOX_HEIGHT + GAP;
                sb.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5b6b80\" stroke-width=\"1.5\"/>%n",
                        centre,
                        y1,
                        centre,
                        y2 - 6));
                sb.append(String.format(
                        Locale.ROOT,
                        "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"#5b6b80\"/>%n",
                        centre - 5,
                        y2 - 7,
                        centre + 5,
                        y2 - 7,
                        centre,
                        y2));
            }
            y += BOX_HEIGHT + GAP;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String text(int x, int y, int size, String weight, String anchor, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\" text-anchor=\"%s\" fill=\"#1d2733\">%s</text>%n",
                x,
                y,
                size,
                weight,
                anchor,
                xml(content));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
