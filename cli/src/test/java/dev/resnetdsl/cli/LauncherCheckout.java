package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.testing.JavaProcess;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A stand-in checkout for running the repository's shell scripts ({@code resnet}, {@code quickstart}) as a user
 * does, before Maven has packaged {@code cli/target/resnet-cli.jar}: the scripts are copied, the jar is a manifest
 * whose class path is this test's, and {@code specs/} and {@code samples/} link to the real ones (read only).
 */
final class LauncherCheckout {
    private LauncherCheckout() {}

    /** Creates the checkout in {@code dir}/checkout with the given scripts of the repository root. */
    static Path create(Path dir, String... scripts) throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        for (String script : scripts) {
            Files.copy(CliRun.root().resolve(script), checkout.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String folder : new String[] {"specs", "samples"}) {
            Files.createSymbolicLink(checkout.resolve(folder), CliRun.root().resolve(folder));
        }
        Path jar = Files.createDirectories(checkout.resolve("cli/target")).resolve("resnet-cli.jar");
        StringBuilder classPath = new StringBuilder();
        for (String entry : JavaProcess.classPath().split(File.pathSeparator)) {
            classPath.append(Path.of(entry).toUri()).append(' ');
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ResNetCli.class.getName());
        manifest.getMainAttributes()
                .put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
        return checkout;
    }
}
