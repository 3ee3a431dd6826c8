package dev.resnetdsl.runtime.train;

import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.Parameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A fingerprint of a network's structure: input, layers with all their attributes and parameter names
 * and shapes. Two networks with equal hashes accept each other's weights and graphs; the model name and
 * free-form metadata do not count.
 */
final class NetworkHash {
    private NetworkHash() {}

    static String of(Network net) {
        StringBuilder text = new StringBuilder();
        text.append(net.input()).append('\n');
        for (Layer layer : net.layers()) {
            text.append(layer).append('\n'); // records print every component, in declaration order
        }
        for (Parameter p : net.parameters().values()) {
            text.append(p.name()).append(p).append(p.kind()).append('\n');
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
