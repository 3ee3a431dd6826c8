package dev.resnetdsl.cli;

import dev.resnetdsl.cli.plot.ErrorCurvePlot;
import dev.resnetdsl.runtime.io.OutputFiles;
import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.MetricsCsv;
import dev.resnetdsl.training.loop.Trainer;
import java.io.IOException;
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
 * {@code resnet plot RUN... -o FILE}: training (thin) and test (bold) error per epoch of one or more runs on
 * one plot, like the paper's Figures 4 and 6. Each RUN is a training folder holding {@code metrics.csv}
 * (or the CSV itself); its legend label is the folder name unless {@code --labels} says otherwise.
 */
@Command(
        name = "plot",
        mixinStandardHelpOptions = true,
        description = "Draw training and test error curves of one or more runs on one plot (SVG or PNG).")
final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "run folders (holding metrics.csv) or CSV files")
    List<Path> runs;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "the picture; .png for PNG, anything else SVG")
    Path output;

    @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "legend labels, one per run")
    List<String> labels;

    @Option(names = "--title", paramLabel = "TEXT", description = "the plot's title")
    String title;

    @Override
    public Integer call() throws IOException {
        if (labels != null && labels.size() != runs.size()) {
            throw new UserError("--labels gives " + labels.size() + " labels for " + runs.size() + " runs");
        }
        List<ErrorCurvePlot.Run> curves = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Path run = runs.get(i);
            Path csv = Files.isDirectory(run) ? run.resolve(Trainer.METRICS) : run;
            if (!Files.isRegularFile(csv)) {
                throw new UserError(csv + ": no such metrics file (train with resnet train first)");
            }
            List<EpochMetrics> rows = MetricsCsv.read(csv);
            if (rows.isEmpty()) {
                throw new UserError(csv + ": no completed epochs yet");
            }
            Path named = Files.isDirectory(run) ? run : csv.toAbsolutePath().getParent();
            String label = labels != null
                    ? labels.get(i)
                    : named.toAbsolutePath().normalize().getFileName().toString();
            curves.add(new ErrorCurvePlot.Run(label, rows));
        }
        String heading = title != null ? title : "training (thin) and test (bold) error";
        OutputFiles.requireNotAnInput(
                output,
                runs.stream()
                        .map(r -> Files.isDirectory(r) ? r.resolve(Trainer.METRICS) : r)
                        .toList());
        ErrorCurvePlot.write(output, curves, heading);
        spec.commandLine().getOut().println("wrote " + output);
        return 0;
    }
}
