package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.io.OutputFiles;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet quantize MODEL.onnx -o OUT.onnx --calibrate SOURCE}: static post-training int8 quantization into
 * standard ONNX, calibrated on images preprocessed by the model's own recorded preprocessing.
 */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description = {
            "Quantize a float ONNX classifier to int8 (static, post-training): BN folded, weights int8 per output"
                    + " channel, activation ranges from calibration images run through ONNX Runtime.",
            "The images are preprocessed as the model's metadata (resnet.preprocessing) says."
        })
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the float model")
    Path model;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "OUT.onnx",
            description = "the int8 model to write")
    Path output;

    @Mixin
    CalibrationOptions calibration;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new UserError(model + ": no such file");
        }
        // Writing the int8 model over the float one would lose the model calibration is measured against.
        OutputFiles.requireNotAnInput(output, List.of(model));
        if (calibration.calibrate == null) {
            throw new UserError("quantize needs calibration images: pass --calibrate KIND:PATH or a folder of images");
        }
        ModelProto fp32 = OnnxFiles.read(model);
        Quantization.run(
                fp32,
                model.toString(),
                calibration,
                output,
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
        return 0;
    }
}
