package dev.resnetdsl.cli;

import dev.resnetdsl.training.bundle.BundleLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code resnet} command. Each subcommand lives in its own class in this package; register it in
 * {@code subcommands} below.
 */
@Command(
        name = "resnet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Define residual networks in .resnet files; check, summarise, generate Java, export ONNX, run and train.",
        subcommands = {
            CommandLine.HelpCommand.class,
            CheckCommand.class,
            FmtCommand.class,
            SummaryCommand.class,
            GenerateCommand.class,
            ExportCommand.class,
            RunCommand.class,
            PredictCommand.class,
            BenchCommand.class,
            EnsembleCommand.class,
            QuantizeCommand.class,
            TrainArtifactsCommand.class,
            StepCommand.class,
            BenchTrainCommand.class,
            TrainCommand.class,
            PlotCommand.class,
        })
public final class ResNetCli {

    /** Runs the command line and returns the exit status (0 success, 1 user error, 2 internal error). */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams (tests capture them). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ResNetCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        // A mistyped command line is bad input like any other: exit 1, not picocli's default 2.
        cli.setParameterExceptionHandler((ex, arguments) -> {
            // picocli starts some messages with its own "Error: "; ours already says "error:".
            String message = ex.getMessage() == null ? "" : ex.getMessage().replaceFirst("^Error: ", "");
            ex.getCommandLine().getErr().println("resnet: error: " + message);
            // The qualified name is "resnet" for the top command and "resnet train" for a subcommand.
            ex.getCommandLine()
                    .getErr()
                    .println("(see: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return ErrorReporter.USER_ERROR;
        });
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    public static void main(String[] args) {
        // What a training bundle's lock records as its holder's command (see BundleLock).
        System.setProperty(BundleLock.COMMAND_PROPERTY, "resnet " + String.join(" ", args));
        System.exit(run(args));
    }
}
