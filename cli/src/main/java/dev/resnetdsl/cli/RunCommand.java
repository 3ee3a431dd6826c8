package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.inference.BatchClassifier;
import dev.resnetdsl.runtime.inference.ImagePrediction;
import dev.resnetdsl.runtime.inference.ImageSource;
import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.io.OutputFiles;
import dev.resnetdsl.runtime.ort.Device;
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
            OutputFiles.requireNotAnInput(mode.batch.output, List.of(model, mode.batch.input));
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
                NonFiniteWarning.check(
                        spec.commandLine().getErr(),
                        "'" + inference.outputName() + "' in " + mode.batch.output,
                        y.floats());
            }
            return 0;
        }
        try (BatchClassifier classifier = BatchClassifier.of(DeviceOption.open(model, d), null)) {
            BatchClassifier use = classifier;
            if (classifier.guessed()) {
                spec.commandLine()
                        .getErr()
                        .println("resnet: note: " + model + " records no preprocessing; using "
                                + classifier.preprocessing().describe());
            }
            if (labels != null) {
                use = BatchClassifier.of(
                        classifier.inference(),
                        classifier
                                .preprocessing()
                                .withClassNames(readLabels(
                                        labels, classifier.inference().outputShape())));
            }
            for (Path image : mode.images) {
                ImagePrediction p =
                        use.classify(List.of(ImageSource.of(image)), top).get(0);
                if (!p.ok()) {
                    throw new UserError(p.error());
                }
                NonFiniteWarning.check(spec.commandLine().getErr(), "the outputs for " + image, p.logits());
                out.println(image + ":");
                int rank = 1;
                for (ImagePrediction.RankedClass c : p.top()) {
                    boolean named = c.index() < use.preprocessing().classNames().size();
                    out.printf(
                            "  %d. class %4d  %6.2f%%%s%n",
                            rank++, c.index(), 100 * c.probability(), named ? "  " + c.label() : "");
                }
            }
        }
        return 0;
    }

    /**
     * The class names of {@code file}, one per line. A file that names fewer or more classes than the model has
     * outputs is the wrong file (or an outdated one): an error, not a table whose names silently stop or shift.
     */
    private static List<String> readLabels(Path file, long[] outputShape) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file");
        }
        if (Files.size(file) > MAX_LABELS_BYTES) {
            throw new UserError(file + ": larger than " + MAX_LABELS_BYTES / (1 << 20) + " MiB; is it a labels file?");
        }
        List<String> names = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        // A final line break is not an extra class.
        while (!names.isEmpty() && names.get(names.size() - 1).isBlank()) {
            names.remove(names.size() - 1);
        }
        long classes = outputShape.length == 2 ? outputShape[1] : -1;
        if (classes > 0 && names.size() != classes) {
            throw new UserError(file + " names " + names.size() + " classes but the model has " + classes
                    + " outputs; give one name per line for each class, in class order");
        }
        return names;
    }

    /** Largest labels file read (100,000 classes of 80 characters is 8 MB). */
    private static final long MAX_LABELS_BYTES = 16L << 20;
}
