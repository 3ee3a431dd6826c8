package dev.resnetdsl.cli;

import dev.resnetdsl.generator.codegen.GeneratedClass;
import dev.resnetdsl.generator.codegen.JavaNames;
import dev.resnetdsl.generator.codegen.ModelClassGenerator;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.Diagnostic;
import dev.resnetdsl.grammar.Severity;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet generate FILE... -o DIR [--package P]}: one Java class per model, as the Maven plugin writes
 * them. All files are checked first; if any has an error, the diagnostics are printed and nothing is written.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate one Java model class per model in the spec files (as the Maven plugin does).")
final class GenerateCommand implements Callable<Integer> {
    /** The package used when {@code --package} is not given. */
    static final String DEFAULT_PACKAGE = "resnet.models";

    @Spec
    private CommandSpec spec;

    @picocli.CommandLine.Mixin
    private ImportRootOption importRoot;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .resnet files.")
    private List<Path> files;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "DIR",
            description = "Source root to write into (package folders are created below it).")
    private Path output;

    @Option(
            names = "--package",
            paramLabel = "P",
            defaultValue = DEFAULT_PACKAGE,
            description = "Package of the generated classes (default: ${DEFAULT-VALUE}).")
    private String packageName;

    @Override
    public Integer call() throws IOException {
        JavaNames.requirePackageName(packageName);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ModelSpec> models = new ArrayList<>();
        int errors = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new UserError(file + ": no such file");
            }
            Compilation compilation = SpecCompiler.compile(file, importRoot.rootFor(file));
            for (Diagnostic d : compilation.diagnostics()) {
                err.println(d.format());
                if (d.severity() == Severity.ERROR) {
                    errors++;
                }
            }
            models.addAll(compilation.models());
        }
        if (errors > 0) {
            err.println("resnet: error: " + errors + " error" + (errors == 1 ? "" : "s") + " in spec files;"
                    + " nothing generated");
            err.flush();
            return ErrorReporter.USER_ERROR;
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new UserError(output + ": not a directory");
        }
        for (GeneratedClass generated : new ModelClassGenerator().generateAll(models, packageName)) {
            Path target = output.resolve(generated.relativePath());
            AtomicFiles.write(target, generated.bytes());
            out.println("wrote " + target);
        }
        out.flush();
        return 0;
    }
}
