package dev.resnetdsl.cli;

import dev.resnetdsl.api.FineTuning;
import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.io.OutputFiles;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet export SPEC -o OUT.onnx}: the spec's network as an ONNX inference model; {@code resnet export DIR
 * -o OUT.onnx}: a trained bundle's network and last checkpoint, with its preprocessing and class names in the
 * model's metadata.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Export a model to ONNX: input 'input' [N,C,H,W], output 'logits' [N,classes].",
            "  SPEC: the spec's network; weights from --weights (safetensors with torchvision names, or a foreign"
                    + " ONNX ResNet) or the spec's seeded init.",
            "  DIR: a training bundle's network and last checkpoint, with its preprocessing and class names.",
            "  --int8 --calibrate ...: quantized to int8 instead, as resnet quantize does."
        })
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    ImportRootOption importRoot;

    @Parameters(index = "0", paramLabel = "SPEC|DIR", description = "a .resnet file, or a training bundle")
    Path specFile;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "OUT.onnx",
            description = "the ONNX file to write")
    Path output;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "weights: FILE.safetensors (torchvision names) or FILE.onnx (imported by name or structure)")
    Path weights;

    @Option(names = "--seed", paramLabel = "N", description = "init seed (default: the spec's)")
    Long seed;

    @Option(names = "--fold-bn", description = "fold BatchNormalization into the convolutions")
    boolean foldBn;

    @Option(
            names = "--opset",
            paramLabel = "N",
            defaultValue = "17",
            description = "ONNX opset, 13 to 21 (default: ${DEFAULT-VALUE})")
    int opset;

    @Option(names = "--model", paramLabel = "NAME", description = "which model of the file (default: the last)")
    String modelName;

    @Option(
            names = "--int8",
            description = "quantize to int8 (as resnet quantize does) with the images of --calibrate; BN is folded")
    boolean int8;

    @Mixin
    CalibrationOptions calibration;

    @Override
    public Integer call() throws Exception {
        ExportOptions options = ExportOptions.defaults().withOpset(opset).withFoldBn(foldBn);
        OutputFiles.requireNotAnInput(output, java.util.Arrays.asList(specFile, weights));
        if (int8 && calibration.calibrate == null) {
            throw new UserError("--int8 needs calibration images: pass --calibrate KIND:PATH or a folder of images");
        }
        if (!int8 && calibration.calibrate != null) {
            throw new UserError("--calibrate is for int8 models: add --int8");
        }
        if (Files.isDirectory(specFile)) {
            return exportBundle(options);
        }
        ModelSpec model = SpecFiles.model(
                specFile,
                importRoot.rootFor(specFile),
                modelName,
                spec.commandLine().getErr());
        Network network = SpecNetworks.build(model);
        StartingWeights start = StartingWeights.choose(network, weights, seed);
        if (weights != null) {
            // Pretrained weights come with their preprocessing (their own record, or ImageNet's for torchvision's).
            Preprocessing p = FineTuning.of(network, weights).preprocessing();
            if (p != null) {
                options = options.withPreprocessing(p);
            }
        }
        if (int8) {
            return quantize(start.weights(), options, network.name());
        }
        OnnxExporter.write(start.weights(), options, output);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: %s, %,d parameters, %s, opset %d%s%n",
                        output,
                        network.name(),
                        network.trainableParameterCount(),
                        start.description(),
                        opset,
                        foldBn ? ", BN folded" : "");
        return 0;
    }

    private int exportBundle(ExportOptions options) throws java.io.IOException {
        if (weights != null || seed != null || modelName != null) {
            throw new UserError(
                    "--weights, --seed and --model apply to a spec; a bundle brings its own network and" + " weights");
        }
        TrainingBundle.TrainedModel trained = TrainingBundle.trainedModel(specFile);
        if (trained.preprocessing() != null) {
            options = options.withPreprocessing(trained.preprocessing());
        } else {
            spec.commandLine()
                    .getErr()
                    .println("resnet: note: " + specFile + " was never trained, so it records no preprocessing");
        }
        Network network = trained.network();
        if (int8) {
            // The bundle's preprocessing is in the float model's metadata, so calibration reads images as training did.
            return quantize(trained.weights(), options, network.name());
        }
        OnnxExporter.write(trained.weights(), options, output);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: %s, %,d parameters from %s%s, opset %d%s%n",
                        output,
                        network.name(),
                        network.trainableParameterCount(),
                        specFile,
                        trained.preprocessing() == null
                                        || trained.preprocessing().classNames().isEmpty()
                                ? ""
                                : ", " + trained.preprocessing().classNames().size() + " class names",
                        opset,
                        options.foldBn() ? ", BN folded" : "");
        return 0;
    }

    /** Exports in memory and writes the int8 quantization instead of the float model. */
    private int quantize(Weights weights, ExportOptions options, String name) throws java.io.IOException {
        Quantization.run(
                OnnxExporter.export(weights, options),
                name,
                calibration,
                output,
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
        return 0;
    }
}
