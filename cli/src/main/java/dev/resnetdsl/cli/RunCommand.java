package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.inference.TopK;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet run MODEL.onnx}: a batch from a safetensors file ({@code input} → {@code logits}), or images
 * classified to their top-k classes.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run an ONNX classifier through ONNX Runtime.",
            "  --input IN.safetensors --output OUT.safetensors: tensor 'input' [N,C,H,W] in, the model's output"
                    + " ('logits') out.",
            "  --image FILE...: resize, center crop, normalise as torchvision does; print the top classes."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the model")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @ArgGroup(exclusive = false)
        Batch batch;

        @Option(names = "--image", arity = "1..*", paramLabel = "FILE", description = "PNG or JPEG images")
        List<Path> images;
    }

    static final class Batch {
        @Option(names = "--input", required = true, paramLabel = "IN.safetensors", description = "tensor 'input'")
        Path input;

        @Option(names = "--output", required = true, paramLabel = "OUT.safetensors", description = "where to write")
        Path output;
    }

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "classes shown per image")
    int top;

    @Option(
            names = "--labels",
            paramLabel = "FILE",
            description = "class names, one per line (line i names class i); default: class indices")
    Path labels;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Device d = device.device();
        if (top < 1) {
            throw new UserError("--top must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (mode.batch != null) {
            TensorFile in = Safetensors.read(mode.batch.input);
            Tensor x;
            try {
                x = in.require("input");
            } catch (IllegalArgumentException e) {
                throw new UserError(mode.batch.input + ": " + e.getMessage());
            }
            try (Inference inference = DeviceOption.open(model, d)) {
                Tensor y = inference.run(x);
                Safetensors.write(mode.batch.output, Map.of(inference.outputName(), y));
                out.printf("wrote %s: %s %s%n", mode.batch.output, inference.outputName(), y.describe());
            }
            return 0;
        }
        try (Inference inference = DeviceOption.open(model, d)) {
            Preprocessing pre = preprocessing(inference);
            if (labels != null) {
                pre = pre.withClassNames(readLabels(labels));
            }
            for (Path image : mode.images) {
                Tensor y = inference.run(pre.load(image));
                double[] p = TopK.probabilities(y.floats(), 0, y.elements(), inference.outputKind());
                out.println(image + ":");
                int rank = 1;
                for (TopK.Prediction pr : TopK.top(p, top)) {
                    int c = pr.classIndex();
                    String label = c < pre.classNames().size()
                            ? "  " + pre.classNames().get(c)
                            : "";
                    out.printf("  %d. class %4d  %6.2f%%%s%n", rank++, c, 100 * pr.probability(), label);
                }
            }
        }
        return 0;
    }

    /** The model's own preprocessing, or (saying so) the guess for a model that records none. */
    private Preprocessing preprocessing(Inference inference) {
        if (inference.preprocessing().isPresent()) {
            return inference.preprocessing().get();
        }
        long[] shape = inference.inputShape();
        if (shape[1] < 1) {
            throw new UserError(model + ": the input's channel count is not fixed, so images cannot be fed to it");
        }
        // A model with free height and width (some foreign exports) gets the ImageNet 224×224 crop.
        Preprocessing guess = Preprocessing.guessFor(
                (int) shape[1], shape[2] > 0 ? (int) shape[2] : 224, shape[3] > 0 ? (int) shape[3] : 224);
        spec.commandLine()
                .getErr()
                .println("resnet: note: " + model + " records no preprocessing; using " + guess.describe());
        return guess;
    }

    private static List<String> readLabels(Path file) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file");
        }
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
}
