package dev.resnetdsl.cli;

import dev.resnetdsl.cli.summary.DotSummary;
import dev.resnetdsl.cli.summary.Int8Table;
import dev.resnetdsl.cli.summary.JsonSummary;
import dev.resnetdsl.cli.summary.SvgSummary;
import dev.resnetdsl.cli.summary.TableSummary;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.quantize.Int8Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet summary FILE [--model NAME] [--json | --dot | --svg]}: per-layer shapes, parameters and
 * multiply-accumulates. Without {@code --model}, a file that declares one model prints that model; a file
 * that declares several prints all of them (JSON: an array).
 */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description = "Per-layer output shape, parameters and multiply-accumulates of a .resnet model;"
                + " for an ONNX model, which layers run in int8.")
final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    ImportRootOption importRoot;

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "the .resnet file, or an .onnx model (e.g. one written by resnet quantize)")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "which model of the file (default: all of them)")
    String modelName;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "one JSON object: name, input, classes, params, macs, stages, layers")
        boolean json;

        @Option(names = "--dot", description = "a Graphviz digraph of the stages (render with: dot -Tsvg)")
        boolean dot;

        @Option(names = "--svg", description = "an SVG picture of the stages, drawn without Graphviz")
        boolean svg;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".onnx")) {
            if (format.json || format.dot || format.svg || modelName != null) {
                throw new UserError("an ONNX model's summary is the int8 table; --json, --dot, --svg and --model"
                        + " apply to .resnet files");
            }
            if (!Files.isRegularFile(file)) {
                throw new UserError(file + ": no such file");
            }
            out.println(file + ":");
            Int8Table.print(Int8Report.of(OnnxFiles.read(file)), out, true);
            out.flush();
            return 0;
        }
        Compilation compilation = SpecFiles.compile(
                file, importRoot.rootFor(file), spec.commandLine().getErr());
        if (compilation.hasErrors()) {
            throw new UserError(file + " has " + SpecFiles.errorCount(compilation));
        }
        List<ModelSpec> models = modelName == null
                ? compilation.models()
                : List.of(SpecFiles.pick(file, compilation.models(), modelName));
        if (models.isEmpty()) {
            throw new UserError(file + ": declares no model");
        }
        if (format.json) {
            out.print(models.size() == 1 ? JsonSummary.render(models.get(0)) : JsonSummary.renderAll(models));
        } else {
            for (int i = 0; i < models.size(); i++) {
                ModelSpec model = models.get(i);
                if (format.dot) {
                    out.print(DotSummary.render(model));
                } else if (format.svg) {
                    if (models.size() > 1) {
                        throw new UserError(file + " declares " + models.size()
                                + " models; choose one for --svg with --model NAME");
                    }
                    out.print(SvgSummary.render(model));
                } else {
                    if (i > 0) {
                        out.println();
                    }
                    out.print(TableSummary.render(model));
                }
            }
        }
        out.flush();
        return 0;
    }
}
