package dev.resnetdsl.spark.train;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A very small ResNet for digits as a training bundle, and the MNIST subset shipped in samples/. */
final class TinyBundles {
    static final String TINY = "model Tiny {\n  input 1x28x28\n  classes 10\n  stem {\n    conv 3x3 4\n  }\n"
            + "  block basic\n  shortcut A\n  stage conv2_x 4 x1\n  stage conv3_x 8 x1 /2\n}\n";

    private TinyBundles() {}

    static Path bundle(Path dir, String name) throws IOException {
        Compilation c = SpecCompiler.compile("tiny.resnet", TINY, dir);
        assertFalse(c.hasErrors(), c.formatDiagnostics());
        Network net = SpecNetworks.build(c.models().get(0));
        Path b = dir.resolve(name);
        TrainingBundle.write(b, Weights.initial(net, net.initPolicy()), Hyperparameters.defaults());
        return b;
    }

    /** A copy of the bundle folder {@code from} at {@code to}. */
    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** {@code mnist:<repo>/samples/mnist-subset}: 2,000 training and 500 test digits. */
    static String subset() {
        Path dir = Path.of(System.getProperty("resnet.root", "..")).resolve("samples/mnist-subset");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("..").resolve("samples/mnist-subset");
        }
        return "mnist:" + dir.toAbsolutePath().normalize();
    }

    /** Every tensor of a bundle's checkpoint (parameters, statistics, {@code momentum.*}) by name. */
    static Map<String, Tensor> checkpoint(Path bundle) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>(
                Safetensors.read(bundle.resolve("checkpoint.safetensors")).tensors());
        return t;
    }
}
