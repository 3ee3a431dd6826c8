package dev.resnetdsl.cli;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code resnet export SPEC -o OUT.onnx}: the spec's network as an ONNX inference model. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Export a spec's model to ONNX: input 'input' [N,C,H,W], output 'logits' [N,classes].",
            "Weights come from --weights (safetensors with torchvision names, or a foreign ONNX ResNet)"
                    + " or from the spec's seeded init."
        })
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the .resnet file")
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

    @Override
    public Integer call() throws Exception {
        ExportOptions options = ExportOptions.defaults().withOpset(opset).withFoldBn(foldBn);
        ModelSpec model =
                SpecFiles.model(specFile, modelName, spec.commandLine().getErr());
        Network network = SpecNetworks.build(model);
        StartingWeights start = StartingWeights.choose(network, weights, seed);
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
}
