package dev.resnetdsl.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Versions recorded in what the tools write (ONNX producer version, network metadata, bundle manifests), read
 * from {@code versions.properties}, which the build fills in from the POM, so the ONNX Runtime version is stated
 * once (the {@code onnxruntime.version} property) rather than repeated in code.
 */
public final class Versions {
    /** This toolchain's version ({@code 0.1.0-SNAPSHOT}). */
    public static final String RESNET_DSL;
    /** The ONNX Runtime version the runtime is built and tested against ({@code 1.29.0}). */
    public static final String ONNX_RUNTIME;

    static {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties is missing from the runtime jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RESNET_DSL = filtered(p, "resnet");
        ONNX_RUNTIME = filtered(p, "onnxruntime");
    }

    private Versions() {}

    private static String filtered(Properties p, String key) {
        String v = p.getProperty(key, "");
        if (v.isEmpty() || v.startsWith("${")) {
            throw new IllegalStateException("versions.properties was not filtered by the build: " + key + "=" + v);
        }
        return v;
    }
}
