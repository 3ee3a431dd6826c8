package dev.resnetdsl.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrictJsonTest {
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("{\"w\":1,\"w\":2}", "duplicate key \"w\" at $.w"),
                Arguments.of("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"I64\"}}", "duplicate key \"dtype\" at $.a.dtype"),
                Arguments.of("[{\"x\":[],\"x\":[]}]", "duplicate key \"x\""),
                Arguments.of("[".repeat(100) + "]".repeat(100), "nested deeper than 64 levels"),
                Arguments.of("{\"a\":1} trailing", ""),
                Arguments.of("{\"a\":NaN}", ""),
                Arguments.of("{a:1}", ""),
                Arguments.of("{\"a\":1,}", ""),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWhatRfc8259AndUniqueKeysRefuse(String json, String message) {
        JsonParseException e = assertThrows(JsonParseException.class, () -> StrictJson.parse(json));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void readsOrdinaryJsonAndNumbersWithoutSurprises() {
        JsonElement e = StrictJson.parse("{\"shape\":[3,4],\"lr\":0.1,\"big\":1e400,\"huge\":1e999999999,\"s\":\"x\"}");
        assertEquals(4, e.getAsJsonObject().get("shape").getAsJsonArray().get(1).getAsInt());
        assertEquals(0.1f, e.getAsJsonObject().get("lr").getAsFloat());
        assertEquals(Double.POSITIVE_INFINITY, e.getAsJsonObject().get("big").getAsDouble());
        // An integer conversion of an exponent this large must fail at once, not expand 10^999999999.
        assertThrows(
                NumberFormatException.class,
                () -> e.getAsJsonObject().get("huge").getAsLong());
        assertThrows(
                NumberFormatException.class,
                () -> StrictJson.parse("[99999999999]").getAsJsonArray().get(0).getAsInt());
    }
}
