package dev.resnetdsl.spark.cli;

import dev.resnetdsl.runtime.Versions;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code resnet-spark} command: batch prediction and data-parallel training on Spark. {@code ./resnet-spark}
 * runs it in local mode; {@code spark-submit --class dev.resnetdsl.spark.cli.ResNetSparkCli resnet-spark.jar …} runs
 * the same on a cluster, where the master comes from spark-submit.
 */
@Command(
        name = "resnet-spark",
        mixinStandardHelpOptions = true,
        versionProvider = ResNetSparkCli.Version.class,
        description = "Classify images and train ResNets on Apache Spark (local mode, or a cluster via spark-submit).",
        subcommands = {
            CommandLine.HelpCommand.class,
            PredictCommand.class,
            TrainCommand.class,
            StepCommand.class,
        })
public final class ResNetSparkCli {
    /** Runs the command line and returns the exit status (0 success, 1 user error, 2 internal error). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ResNetSparkCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new SparkErrorReporter());
        cli.setParameterExceptionHandler((ex, arguments) -> {
            ex.getCommandLine().getErr().println("resnet-spark: error: " + ex.getMessage());
            ex.getCommandLine()
                    .getErr()
                    .println("(see: resnet-spark " + ex.getCommandLine().getCommandName() + " --help)");
            return SparkErrorReporter.USER_ERROR;
        });
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    public static void main(String[] args) {
        int status = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(status);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "resnet-spark " + Versions.RESNET_DSL + " (ONNX Runtime " + Versions.ONNX_RUNTIME + ", Spark "
                        + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"
            };
        }
    }
}
