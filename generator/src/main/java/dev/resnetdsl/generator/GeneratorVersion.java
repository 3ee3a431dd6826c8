package dev.resnetdsl.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The generator's version, as recorded in generated classes, network metadata and the plugin's stale check. */
public final class GeneratorVersion {
    /** The version of this generator ({@code 0.1.0-SNAPSHOT}); filled in by the build. */
    public static final String VERSION = load();

    private GeneratorVersion() {}

    private static String load() {
        try (InputStream in = GeneratorVersion.class.getResourceAsStream("generator.properties")) {
            if (in == null) {
                throw new IllegalStateException("generator.properties is missing from the generator jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException("generator.properties was not filtered by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
