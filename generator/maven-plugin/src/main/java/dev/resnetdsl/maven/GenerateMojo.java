package dev.resnetdsl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Generates one Java class per model from the {@code .resnet} files in {@code src/main/resnet} into
 * {@code target/generated-sources/resnet}, and adds that directory to the compile source roots. Fails the
 * build on any error in a spec, printed as {@code file:line:col: error: message}.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractGenerateMojo {
    /** Where the {@code .resnet} files are (searched recursively). */
    @Parameter(defaultValue = "${project.basedir}/src/main/resnet", required = true)
    private File sourceDirectory;

    /** Where the generated sources go; added as a compile source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/resnet", required = true)
    private File outputDirectory;

    @Override
    protected File sourceDirectory() {
        return sourceDirectory;
    }

    @Override
    protected File outputDirectory() {
        return outputDirectory;
    }

    @Override
    protected void addSourceRoot(String directory) {
        project.addCompileSourceRoot(directory);
    }
}
