package dev.resnetdsl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Like {@code generate}, for test code: {@code src/test/resnet} into
 * {@code target/generated-test-sources/resnet}, added as a test compile source root.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public class GenerateTestMojo extends AbstractGenerateMojo {
    /** Where the test {@code .resnet} files are (searched recursively). */
    @Parameter(defaultValue = "${project.basedir}/src/test/resnet", required = true)
    private File sourceDirectory;

    /** Where the generated test sources go; added as a test compile source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/resnet", required = true)
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
        project.addTestCompileSourceRoot(directory);
    }
}
