package dev.resnetdsl.cli;

import dev.resnetdsl.grammar.Compilation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code resnet check FILE...}: reports every error of every file; exit 1 if any. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check .resnet files and print every error as file:line:col: error: message.")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    ImportRootOption importRoot;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = ".resnet files to check")
    List<Path> files;

    @Override
    public Integer call() {
        int failed = 0;
        int models = 0;
        for (Path file : files) {
            Compilation compilation = SpecFiles.compile(
                    file, importRoot.rootFor(file), spec.commandLine().getErr());
            if (compilation.hasErrors()) {
                failed++;
            } else {
                models += compilation.models().size();
            }
        }
        if (failed > 0) {
            spec.commandLine().getErr().printf("check: %d of %d file(s) have errors%n", failed, files.size());
            return ErrorReporter.USER_ERROR;
        }
        spec.commandLine().getOut().printf("check: %d file(s), %d model(s), no errors%n", files.size(), models);
        return 0;
    }
}
