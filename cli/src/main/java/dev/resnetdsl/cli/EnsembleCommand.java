package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.ensemble.EnsembleBuilder;
import dev.resnetdsl.runtime.ensemble.EnsembleFiles;
import dev.resnetdsl.runtime.io.OutputFiles;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
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

/** {@code resnet ensemble A.onnx B.onnx … -o OUT.onnx}: one model averaging the members' softmax. */
@Command(
        name = "ensemble",
        mixinStandardHelpOptions = true,
        description = {
            "Combine classifiers into one ONNX model whose output 'probabilities' [N,classes] is the mean of the"
                    + " members' softmax.",
            "Members must agree on the input shape and the number of classes."
        })
final class EnsembleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "MODEL.onnx", description = "the members (at least two)")
    List<Path> members;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "OUT.onnx",
            description = "the ensemble to write")
    Path output;

    @Override
    public Integer call() throws Exception {
        OutputFiles.requireNotAnInput(output, members);
        List<ModelProto> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : members) {
            if (!Files.isRegularFile(p)) {
                throw new UserError(p + ": no such file");
            }
            models.add(OnnxFiles.read(p));
            names.add(p.toString());
        }
        ModelProto ensemble = EnsembleBuilder.build(models, names);
        EnsembleFiles.write(ensemble, output);
        long classes = ensemble.getGraph()
                .getOutput(0)
                .getType()
                .getTensorType()
                .getShape()
                .getDim(1)
                .getDimValue();
        spec.commandLine()
                .getOut()
                .printf("wrote %s: mean softmax of %d models, %d classes%n", output, members.size(), classes);
        return 0;
    }
}
