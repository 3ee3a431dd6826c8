package dev.resnetdsl.runtime.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * Parses JSON from files the tools read back (safetensors headers, bundle manifests) as RFC 8259 says and no
 * more leniently: a key that appears twice in one object is an error (Gson's own parser keeps the last, so two
 * readers of one file could see different values), and so are nesting deeper than {@value #MAX_DEPTH} levels
 * (which would otherwise end in a {@link StackOverflowError}), {@code NaN}, comments and trailing text.
 */
public final class StrictJson {
    /** Deepest nesting accepted; the files read here nest three or four levels. */
    public static final int MAX_DEPTH = 64;

    private StrictJson() {}

    /**
     * The JSON value of {@code text}.
     *
     * @throws JsonParseException saying what is wrong and where (a JSON path such as {@code $.w.shape[1]})
     */
    public static JsonElement parse(String text) {
        try (JsonReader in = new JsonReader(new StringReader(text))) {
            in.setStrictness(Strictness.STRICT);
            JsonElement value = read(in, 0);
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("unexpected text after the JSON value at " + in.getPath());
            }
            return value;
        } catch (IOException e) {
            // MalformedJsonException and EOFException; the first line is the useful part
            throw new JsonParseException(firstLine(e.getMessage()), e);
        } catch (IllegalStateException | NumberFormatException e) {
            throw new JsonParseException(firstLine(e.getMessage()), e);
        }
    }

    private static JsonElement read(JsonReader in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new JsonParseException("nested deeper than " + MAX_DEPTH + " levels at " + in.getPath());
        }
        switch (in.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                in.beginObject();
                while (in.hasNext()) {
                    String name = in.nextName();
                    if (object.has(name)) {
                        throw new JsonParseException(
                                "duplicate key \"" + Printable.name(name) + "\" at " + Printable.name(in.getPath()));
                    }
                    object.add(name, read(in, depth + 1));
                }
                in.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                in.beginArray();
                while (in.hasNext()) {
                    array.add(read(in, depth + 1));
                }
                in.endArray();
                return array;
            }
            case STRING -> {
                return new JsonPrimitive(in.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new Decimal(in.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(in.nextBoolean());
            }
            case NULL -> {
                in.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new JsonParseException("unexpected " + in.peek() + " at " + in.getPath());
        }
    }

    /** Gson's message without its second line (a link to Gson's troubleshooting page), fit to print. */
    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int nl = message.indexOf('\n');
        return Printable.text(nl < 0 ? message : message.substring(0, nl), 200);
    }

    /**
     * A JSON number kept as its text and converted on request without {@link java.math.BigDecimal}, whose
     * conversions of a literal such as {@code 1e999999999} to an integer take minutes: integer conversions accept
     * only integer literals in range, the others parse as Java does ({@code 1e400} becomes infinity).
     */
    private static final class Decimal extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;

        Decimal(String text) {
            this.text = text;
        }

        @Override
        public int intValue() {
            long value = longValue();
            if (value != (int) value) {
                throw new NumberFormatException(text + " is out of range for an int");
            }
            return (int) value;
        }

        @Override
        public long longValue() {
            return Long.parseLong(text);
        }

        @Override
        public float floatValue() {
            return Float.parseFloat(text);
        }

        @Override
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
