package dev.resnetdsl.generator.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resnetdsl.runtime.net.Network;
import java.util.List;

/** Structural equality of two networks: the same layers, parameters, init policy and metadata, in order. */
public final class NetworkAssertions {
    private NetworkAssertions() {}

    public static void assertSameNetwork(Network expected, Network actual) {
        assertEquals(expected.name(), actual.name(), "name");
        assertEquals(expected.input(), actual.input(), "input");
        assertEquals(expected.output(), actual.output(), "output");
        assertEquals(expected.layers().size(), actual.layers().size(), "layer count");
        for (int i = 0; i < expected.layers().size(); i++) {
            assertEquals(expected.layers().get(i), actual.layers().get(i), "layer " + i);
        }
        assertEquals(
                List.copyOf(expected.parameters().keySet()),
                List.copyOf(actual.parameters().keySet()),
                "parameter names");
        assertEquals(
                List.copyOf(expected.parameters().values()),
                List.copyOf(actual.parameters().values()),
                "parameters");
        assertEquals(expected.initPolicy(), actual.initPolicy(), "init policy");
        assertEquals(expected.metadata(), actual.metadata(), "metadata");
        assertEquals(
                List.copyOf(expected.metadata().keySet()),
                List.copyOf(actual.metadata().keySet()),
                "metadata order");
    }
}
