package dev.resnetdsl.cli;

import dev.resnetdsl.api.FineTuning;
import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.BundleOptions;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.TrainingBundle;
import dev.resnetdsl.training.graph.Freezing;
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
 * {@code resnet train-artifacts SPEC -o DIR}: writes a training bundle (train_step.onnx, eval.onnx,
 * checkpoint.safetensors, manifest.json) for a model of a spec file. An existing bundle is replaced only
 * with {@code --force}, because that resets its training.
 */
@Command(
        name = "train-artifacts",
        mixinStandardHelpOptions = true,
        description = "Write a training bundle (ONNX training-step and evaluation graphs, checkpoint, manifest).")
final class TrainArtifactsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    ImportRootOption importRoot;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the .resnet file")
    Path file;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "DIR",
            description = "bundle directory")
    Path output;

    @Option(names = "--model", paramLabel = "NAME", description = "which model of the file (default: the last)")
    String modelName;

    @Option(
            names = "--weights",
            paramLabel = "W",
            description = "start from these weights (.safetensors with torchvision names, or a foreign .onnx)")
    Path weights;

    @Option(names = "--seed", paramLabel = "N", description = "init seed (default: the spec's)")
    Long seed;

    @Option(names = "--lr", paramLabel = "X", description = "default learning rate (default: ${DEFAULT-VALUE})")
    float lr = 0.1f;

    @Option(names = "--momentum", paramLabel = "X", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    float momentum = 0.9f;

    @Option(
            names = "--weight-decay",
            paramLabel = "X",
            description = "weight decay, PyTorch's form (default: ${DEFAULT-VALUE})")
    float weightDecay = 1e-4f;

    @Option(names = "--nesterov", description = "Nesterov momentum")
    boolean nesterov;

    @Option(names = "--force", description = "replace an existing training bundle in DIR (resets its training)")
    boolean force;

    @Option(
            names = "--new-head",
            description = "with --weights: load every tensor whose name and shape match and re-initialise the"
                    + " classifier where its shape differs (fine-tuning to other classes)")
    boolean newHead;

    @Option(
            names = "--freeze",
            split = ",",
            paramLabel = "PART",
            description = "keep these parts fixed: stem, a stage name (conv2_x, …), backbone (all but the"
                    + " classifier) or head; frozen BN layers use their running statistics")
    List<String> freeze = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Hyperparameters hp = new Hyperparameters(lr, momentum, weightDecay, nesterov);
        if (Files.exists(output.resolve(Manifest.FILE)) && !force) {
            throw new UserError(output + " already holds a training bundle; pass --force to replace it"
                    + " (its checkpoint and training progress are lost)");
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new UserError(output + ": exists and is not a directory");
        }
        if (newHead && weights == null) {
            throw new UserError("--new-head needs --weights (the pretrained weights whose classifier it replaces)");
        }
        ModelSpec model = SpecFiles.model(
                file, importRoot.rootFor(file), modelName, spec.commandLine().getErr());
        Network net = SpecNetworks.build(model);
        String source;
        if (weights != null) {
            if (seed != null) {
                throw new UserError("--seed and --weights exclude each other (weights are loaded, not initialised)");
            }
            FineTuning fineTuning = FineTuning.of(net, weights)
                    .withNewHead(newHead)
                    .withFreeze(freeze)
                    .withHyperparameters(hp);
            Weights.LoadReport report = fineTuning.writeBundle(output);
            printReport(out, report);
            source = "weights from " + weights;
        } else {
            StartingWeights start = StartingWeights.choose(net, null, seed);
            BundleOptions options = BundleOptions.of(hp);
            if (!freeze.isEmpty()) {
                options = options.withFreezing(Freezing.byName(net, freeze));
            }
            TrainingBundle.write(output, start.weights(), options);
            source = start.description();
        }
        long frozenCount = freeze.isEmpty() ? 0 : Freezing.byName(net, freeze).frozenTrainableCount(net);
        out.printf(
                "wrote training bundle %s: %s, %,d parameters%s, %s; SGD lr %s momentum %s weight decay %s%s%n",
                output,
                net.name(),
                net.trainableParameterCount(),
                freeze.isEmpty()
                        ? ""
                        : String.format(
                                ", %,d of them trainable (%s frozen)",
                                net.trainableParameterCount() - frozenCount, String.join(", ", freeze)),
                source,
                lr,
                momentum,
                weightDecay,
                nesterov ? " Nesterov" : "");
        return 0;
    }

    /** What loading pretrained weights did, short enough to read: counts, and names where they matter. */
    private static void printReport(PrintWriter out, Weights.LoadReport report) {
        out.printf("loaded %d tensors from the weights%n", report.loaded().size());
        if (!report.reinitialized().isEmpty()) {
            out.println("re-initialised (new head): " + String.join(", ", report.reinitialized()));
        }
        if (!report.ignored().isEmpty()) {
            List<String> shown =
                    report.ignored().subList(0, Math.min(8, report.ignored().size()));
            out.println("ignored (not in this network): " + String.join(", ", shown)
                    + (report.ignored().size() > shown.size()
                            ? " and " + (report.ignored().size() - shown.size()) + " more"
                            : ""));
        }
    }
}
