package dev.resnetdsl.runtime.net;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.HashMap;
import java.util.Map;

/**
 * A network's structure as JSON, so that a training bundle describes its own network and can be exported
 * without the spec it came from. Reading replays the {@link NetworkBuilder} calls, so every shape is checked
 * again, and the caller compares the result's {@link Network#structureHash()} with the one it expects.
 *
 * <pre>{@code
 * {"name": "ResNet20", "input": [3, 32, 32], "layers": [
 *   {"op": "conv", "name": "conv1", "in": "input", "out": 16, "kernel": 3, "stride": 1, "padding": 1, "groups": 1},
 *   {"op": "batchnorm", "name": "bn1", "in": "conv1", "endsResidualBranch": false}, {"op": "relu", "in": "bn1"}, …]}
 * }</pre>
 */
public final class NetworkJson {
    /** Most layers accepted from a file (ResNet-1202 has about 3,600). */
    public static final int MAX_LAYERS = 100_000;

    private NetworkJson() {}

    /** The structure (name, input, layers, init policy, metadata) as a JSON object. */
    public static JsonObject toJson(Network net) {
        JsonObject o = new JsonObject();
        o.addProperty("name", net.name());
        JsonArray input = new JsonArray();
        input.add(net.input().channels());
        input.add(net.input().height());
        input.add(net.input().width());
        o.add("input", input);
        JsonObject init = new JsonObject();
        init.addProperty("fanMode", net.initPolicy().fanMode().spelling());
        init.addProperty("zeroInitLastBn", net.initPolicy().zeroInitLastBn());
        init.addProperty("seed", net.initPolicy().seed());
        o.add("init", init);
        JsonObject metadata = new JsonObject();
        net.metadata().forEach(metadata::addProperty);
        o.add("metadata", metadata);
        JsonArray layers = new JsonArray();
        for (Layer layer : net.layers()) {
            layers.add(layer.accept(WRITER));
        }
        o.add("layers", layers);
        return o;
    }

    /**
     * The network a {@link #toJson} object describes.
     *
     * @throws IllegalArgumentException when the JSON is malformed or describes an impossible network
     */
    public static Network fromJson(JsonElement json) {
        try {
            JsonObject o = json.getAsJsonObject();
            JsonArray input = o.getAsJsonArray("input");
            NetworkBuilder b = NetworkBuilder.create(
                    o.get("name").getAsString(),
                    input.get(0).getAsInt(),
                    input.get(1).getAsInt(),
                    input.get(2).getAsInt());
            if (o.has("init")) {
                JsonObject init = o.getAsJsonObject("init");
                b.initPolicy(new InitPolicy(
                        FanMode.parse(init.get("fanMode").getAsString()),
                        init.get("zeroInitLastBn").getAsBoolean(),
                        init.get("seed").getAsLong()));
            }
            if (o.has("metadata")) {
                for (Map.Entry<String, JsonElement> e :
                        o.getAsJsonObject("metadata").entrySet()) {
                    b.metadata(e.getKey(), e.getValue().getAsString());
                }
            }
            JsonArray layers = o.getAsJsonArray("layers");
            if (layers.size() < 1 || layers.size() > MAX_LAYERS) {
                throw new IllegalArgumentException(
                        "a network has 1 to " + MAX_LAYERS + " layers, not " + layers.size());
            }
            Map<String, Activation> values = new HashMap<>();
            values.put("input", b.input());
            Activation last = null;
            for (JsonElement e : layers) {
                last = replay(b, e.getAsJsonObject(), values);
                values.put(last.name(), last);
            }
            return b.build(last);
        } catch (IllegalStateException
                | NullPointerException
                | ClassCastException
                | IndexOutOfBoundsException
                | UnsupportedOperationException e) {
            throw new IllegalArgumentException("not a valid network description: " + e, e);
        }
    }

    /** {@link #fromJson(JsonElement)} of JSON text. */
    public static Network fromJson(String text) {
        return fromJson(JsonParser.parseString(text));
    }

    private static Activation replay(NetworkBuilder b, JsonObject l, Map<String, Activation> values) {
        String op = l.get("op").getAsString();
        return switch (op) {
            case "conv" -> b.conv(
                    l.get("name").getAsString(),
                    in(values, l, "in"),
                    l.get("out").getAsInt(),
                    l.get("kernel").getAsInt(),
                    l.get("stride").getAsInt(),
                    l.get("padding").getAsInt(),
                    l.get("groups").getAsInt());
            case "batchnorm" -> b.batchNorm(
                    l.get("name").getAsString(),
                    in(values, l, "in"),
                    l.get("endsResidualBranch").getAsBoolean());
            case "relu" -> b.relu(in(values, l, "in"));
            case "maxpool" -> b.maxPool(
                    in(values, l, "in"),
                    l.get("kernel").getAsInt(),
                    l.get("stride").getAsInt(),
                    l.get("padding").getAsInt());
            case "add" -> b.add(l.get("prefix").getAsString(), in(values, l, "left"), in(values, l, "right"));
            case "zeropad" -> b.zeroPadShortcut(
                    l.get("prefix").getAsString(),
                    in(values, l, "in"),
                    l.get("out").getAsInt(),
                    l.get("stride").getAsInt());
            case "avgpool" -> b.globalAvgPool(in(values, l, "in"));
            case "fc" -> b.fullyConnected(
                    l.get("name").getAsString(),
                    in(values, l, "in"),
                    l.get("out").getAsInt());
            default -> throw new IllegalArgumentException("unknown layer op '" + op + "'");
        };
    }

    private static Activation in(Map<String, Activation> values, JsonObject l, String key) {
        String name = l.get(key).getAsString();
        Activation a = values.get(name);
        if (a == null) {
            throw new IllegalArgumentException("layer reads '" + name + "' before anything writes it");
        }
        return a;
    }

    /** Where the builder names an output {@code prefix + suffix}, the prefix it was given. */
    private static String prefix(Activation out, String suffix) {
        String name = out.name();
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }

    private static final Layer.Visitor<JsonObject> WRITER = new Layer.Visitor<>() {
        private JsonObject op(String op) {
            JsonObject o = new JsonObject();
            o.addProperty("op", op);
            return o;
        }

        @Override
        public JsonObject conv(Layer.Conv c) {
            JsonObject o = op("conv");
            o.addProperty("name", c.name());
            o.addProperty("in", c.input().name());
            o.addProperty("out", c.output().channels());
            o.addProperty("kernel", c.kernel());
            o.addProperty("stride", c.stride());
            o.addProperty("padding", c.padding());
            o.addProperty("groups", c.groups());
            return o;
        }

        @Override
        public JsonObject batchNorm(Layer.BatchNorm bn) {
            JsonObject o = op("batchnorm");
            o.addProperty("name", bn.name());
            o.addProperty("in", bn.input().name());
            o.addProperty("endsResidualBranch", bn.endsResidualBranch());
            return o;
        }

        @Override
        public JsonObject relu(Layer.Relu r) {
            JsonObject o = op("relu");
            o.addProperty("in", r.input().name());
            return o;
        }

        @Override
        public JsonObject maxPool(Layer.MaxPool m) {
            JsonObject o = op("maxpool");
            o.addProperty("in", m.input().name());
            o.addProperty("kernel", m.kernel());
            o.addProperty("stride", m.stride());
            o.addProperty("padding", m.padding());
            return o;
        }

        @Override
        public JsonObject add(Layer.Add a) {
            JsonObject o = op("add");
            o.addProperty("prefix", prefix(a.output(), ".add"));
            o.addProperty("left", a.left().name());
            o.addProperty("right", a.right().name());
            return o;
        }

        @Override
        public JsonObject zeroPadShortcut(Layer.ZeroPadShortcut z) {
            JsonObject o = op("zeropad");
            o.addProperty("prefix", prefix(z.output(), ".shortcut"));
            o.addProperty("in", z.input().name());
            o.addProperty("out", z.output().channels());
            o.addProperty("stride", z.stride());
            return o;
        }

        @Override
        public JsonObject globalAvgPool(Layer.GlobalAvgPool g) {
            JsonObject o = op("avgpool");
            o.addProperty("in", g.input().name());
            return o;
        }

        @Override
        public JsonObject fullyConnected(Layer.FullyConnected f) {
            JsonObject o = op("fc");
            o.addProperty("name", f.name());
            o.addProperty("in", f.input().name());
            o.addProperty("out", f.output().channels());
            return o;
        }
    };
}
