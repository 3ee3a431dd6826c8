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
    /**
     * The spec's stage names and the layer prefix each became, {@code conv2_x=layer1;conv3_x=layer2;…}, so that
     * a user can name a stage as the spec does (to freeze it, say) where only the network is at hand.
     */
    public static final String STAGES = "resnet.stages";
    /**
     * {@link Network#structureHash()}, written by ONNX export, so that a reader can tell whether a model file holds
     * the network it expects (a generated class's {@code classifier} checks it).
     */
    public static final String STRUCTURE_HASH = "resnet.network_hash";
    /** The version of the generator (or interpreter) that built the network. */
    public static final String GENERATOR_VERSION = "resnet.generator.version";

    private NetworkMetadata() {}

    /** {@link #STAGES}'s value for stage names and prefixes given in order. */
    public static String stages(java.util.List<String> names, java.util.List<String> prefixes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ";").append(names.get(i)).append('=').append(prefixes.get(i));
        }
        return sb.toString();
    }

    /** The stage name → layer prefix map of a network, in stage order (empty when it records none). */
    public static java.util.Map<String, String> stages(Network net) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        String v = net.metadata().get(STAGES);
        if (v == null || v.isEmpty()) {
            return out;
        }
        for (String part : v.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }

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
