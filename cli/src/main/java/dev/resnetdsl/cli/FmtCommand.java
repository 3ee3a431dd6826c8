package dev.resnetdsl.cli;

import dev.resnetdsl.grammar.format.Formatting;
import dev.resnetdsl.grammar.format.SpecFormatter;
import dev.resnetdsl.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code resnet fmt FILE... [-w | --check]}: prints specs in canonical form. */
@Command(
        name = "fmt",
        mixinStandardHelpOptions = true,
        description = "Print .resnet files in canonical form (or rewrite them with -w, or verify with --check).")
final class FmtCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = ".resnet files to format")
    List<Path> files;

    @Option(
            names = {"-w", "--write"},
            description = "rewrite the files in place (atomically)")
    boolean write;

    @Option(names = "--check", description = "exit 1 and list the files that are not in canonical form")
    boolean check;

    @Override
    public Integer call() throws IOException {
        if (write && check) {
            throw new UserError("fmt: choose either --write or --check");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new UserError(file + ": no such file");
            }
            // Bounded: a multi-gigabyte file named as a spec costs 1 MiB, not the heap.
            String text = dev.resnetdsl.grammar.SpecSources.read(file);
            Formatting formatting = SpecFormatter.format(file.toString(), text);
            if (!formatting.diagnostics().isEmpty()) {
                formatting.diagnostics().forEach(d -> err.println(d.format()));
                status = ErrorReporter.USER_ERROR;
                continue;
            }
            if (check) {
                if (!formatting.text().equals(text)) {
                    err.println(file + ": not in canonical form (run: resnet fmt -w " + file + ")");
                    status = ErrorReporter.USER_ERROR;
                }
            } else if (write) {
                if (!formatting.text().equals(text)) {
                    AtomicFiles.writeString(file, formatting.text());
                    out.println("formatted " + file);
                }
            } else {
                out.print(formatting.text());
            }
        }
        err.flush();
        return status;
    }
}
