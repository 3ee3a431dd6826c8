package dev.resnetdsl.cli.summary;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.resnetdsl.grammar.spec.LayerRow;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.Shape;
import dev.resnetdsl.grammar.spec.StageSpec;
import dev.resnetdsl.grammar.spec.StrideOn;
import java.util.List;
import java.util.Locale;

/** {@code summary --json}: one object per model, stable keys, numbers as JSON integers. */
public final class JsonSummary {
    private JsonSummary() {}

    /** One model as a pretty-printed JSON object. */
    public static String render(ModelSpec model) {
        return new GsonBuilder()
                        .setPrettyPrinting()
                        .disableHtmlEscaping()
                        .create()
                        .toJson(toJson(model)) + "\n";
    }

    /** Several models as a JSON array. */
    public static String renderAll(List<ModelSpec> models) {
        JsonArray array = new JsonArray();
        models.forEach(m -> array.add(toJson(m)));
        return new GsonBuilder()
                        .setPrettyPrinting()
                        .disableHtmlEscaping()
                        .create()
                        .toJson(array) + "\n";
    }

    static JsonObject toJson(ModelSpec model) {
        JsonObject o = new JsonObject();
        o.addProperty("name", model.name());
        o.addProperty("source", model.sourceFile());
        o.add("input", shape(model.input()));
        o.addProperty("classes", model.classes());
        o.addProperty("params", model.params());
        o.addProperty("macs", model.macs());
        JsonObject block = new JsonObject();
        block.addProperty("kind", model.block().kind().name().toLowerCase(Locale.ROOT));
        block.addProperty("expansion", model.block().expansion());
        block.addProperty("groups", model.block().groups());
        block.addProperty("width_per_group", model.block().widthPerGroup());
        block.addProperty("stride_on", model.block().strideOn() == StrideOn.CONV_3X3 ? "3x3" : "1x1");
        o.add("block", block);
        o.addProperty("shortcut", SummaryFacts.shortcutName(model.shortcut()));
        JsonArray stages = new JsonArray();
        for (StageSpec stage : model.stages()) {
            JsonObject s = new JsonObject();
            s.addProperty("name", stage.name());
            s.addProperty("prefix", stage.prefix());
            s.addProperty("width", stage.width());
            s.addProperty("blocks", stage.repeats());
            s.addProperty("stride", stage.stride());
            s.add("output", shape(stage.output()));
            s.addProperty("params", SummaryFacts.stageParams(model, stage));
            s.addProperty("macs", SummaryFacts.stageMacs(model, stage));
            stages.add(s);
        }
        o.add("stages", stages);
        JsonArray layers = new JsonArray();
        for (LayerRow row : model.layers()) {
            JsonObject l = new JsonObject();
            l.addProperty("name", row.name());
            l.addProperty("kind", row.kind());
            l.add("output", shape(row.output()));
            l.addProperty("params", row.params());
            l.addProperty("macs", row.macs());
            layers.add(l);
        }
        o.add("layers", layers);
        return o;
    }

    private static JsonArray shape(Shape shape) {
        JsonArray a = new JsonArray();
        a.add(shape.channels());
        a.add(shape.height());
        a.add(shape.width());
        return a;
    }
}
