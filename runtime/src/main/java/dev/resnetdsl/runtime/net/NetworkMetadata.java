package dev.resnetdsl.runtime.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The metadata keys that the spec interpreter and generated classes put into every {@link Network}, in this
 * order; ONNX export carries them into the model's {@code metadata_props} and training bundles into their
 * manifest.
 */
public final class NetworkMetadata {
    /** The spec text of the model (its own declaration and those it extends). */
    public static final String SPEC_SOURCE = "resnet.spec.source";
    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@link #SPEC_SOURCE}. */
    public static final String SPEC_SHA256 = "resnet.spec.sha256";
    /** The version of the generator (or interpreter) that built the network. */
    public static final String GENERATOR_VERSION = "resnet.generator.version";

    private NetworkMetadata() {}

    /** Lower-case hex SHA-256 of the UTF-8 encoding of {@code text}. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
