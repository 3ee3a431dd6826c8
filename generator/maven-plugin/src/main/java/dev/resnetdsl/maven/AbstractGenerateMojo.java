package dev.resnetdsl.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What {@code generate} and {@code generate-test} share; they differ in directories and the source root. */
abstract class AbstractGenerateMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /**
     * Package of the generated classes. When not set, each file's folder below the source directory is its
     * package ({@code src/main/resnet/com/example/Nets.resnet} gives {@code com.example}).
     */
    @Parameter(property = "resnet.packageName")
    protected String packageName;

    /**
     * Whether a warning from the analyzer fails the build like an error does. Errors always fail the build.
     */
    @Parameter(property = "resnet.failOnWarnings", defaultValue = "true")
    protected boolean failOnWarnings;

    /**
     * The folder every {@code import} of a spec must lie in, by real path (symbolic links followed). Imports are
     * untrusted paths: they may name only regular {@code .resnet} files inside this folder. Set it to a parent
     * folder (for example {@code ${maven.multiModuleProjectDirectory}}) when specs import from another module.
     */
    @Parameter(property = "resnet.importRoot", defaultValue = "${project.basedir}")
    protected File importRoot;

    /** Skips generation (the source root is not added either). */
    @Parameter(property = "resnet.skip", defaultValue = "false")
    protected boolean skip;

    /** Where the {@code .resnet} files are. */
    protected abstract File sourceDirectory();

    /** Where the generated sources go. */
    protected abstract File outputDirectory();

    /** Registers the output directory with the project. */
    protected abstract void addSourceRoot(String directory);

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("resnet: skipped (resnet.skip)");
            return;
        }
        Path base = project.getBasedir().toPath();
        SpecGeneration generation = new SpecGeneration(
                base,
                sourceDirectory().toPath(),
                outputDirectory().toPath(),
                packageName,
                failOnWarnings,
                importRoot == null ? base : importRoot.toPath());
        SpecGeneration.Result result;
        try {
            result = generation.run();
        } catch (SpecGeneration.SpecErrors e) {
            for (String diagnostic : e.diagnostics()) {
                for (String line : diagnostic.split("\n", -1)) {
                    getLog().error(line);
                }
            }
            String first = e.diagnostics().get(0).split("\n", 2)[0];
            throw new MojoFailureException("resnet: " + e.getMessage() + "; first: " + first);
        } catch (IOException e) {
            throw new MojoExecutionException("resnet: cannot generate sources: " + e.getMessage(), e);
        }
        String where = relative(base, sourceDirectory().toPath());
        switch (result.outcome()) {
            case NO_SOURCES:
                getLog().info("resnet: no .resnet files in " + where);
                return;
            case UP_TO_DATE:
                getLog().info("resnet: " + count(result.specFiles().size(), "spec file") + " in " + where
                        + " up to date; " + count(result.classes().size(), "class") + " not regenerated");
                break;
            case GENERATED:
                for (String warning : result.warnings()) {
                    for (String line : warning.split("\n", -1)) {
                        getLog().warn(line);
                    }
                }
                getLog().info("resnet: generated " + count(result.classes().size(), "class") + " from "
                        + count(result.specFiles().size(), "spec file") + " in " + where + " into "
                        + relative(base, outputDirectory().toPath()));
                break;
            default:
                throw new IllegalStateException("unknown outcome " + result.outcome());
        }
        addSourceRoot(outputDirectory().getAbsolutePath());
    }

    private static String count(int n, String noun) {
        String plural = noun.endsWith("s") ? noun + "es" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }

    private static String relative(Path base, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }
}
