package dev.resnetdsl.generator.codegen;

import static dev.resnetdsl.generator.testing.NetworkAssertions.assertSameNetwork;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.generator.testing.InMemoryJavac;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every spec in the repository's {@code specs/} generates a class that compiles, loads and builds a network
 * with exactly the spec's parameter count, equal to the interpreter's network.
 */
class SpecLibraryTest {

    @Test
    void everySpecGeneratesCompilesAndBuildsItsNetwork() throws Exception {
        Path specs = specsDirectory();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(specs)) {
            files = walk.filter(p -> p.toString().endsWith(".resnet")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 18, "expected the spec library in " + specs + ", found " + files);

        ModelClassGenerator generator = new ModelClassGenerator();
        List<GeneratedClass> classes = new ArrayList<>();
        List<ModelSpec> models = new ArrayList<>();
        for (Path file : files) {
            String relative = specs.getParent().relativize(file).toString().replace('\\', '/');
            // The library's import root is specs/ (mnist/resnet20 imports ../cifar/resnet20).
            Compilation compilation = SpecCompiler.compile(relative, Files.readString(file), file.getParent(), specs);
            assertFalse(compilation.hasErrors(), compilation.formatDiagnostics());
            assertFalse(compilation.models().isEmpty(), relative + " declares no model");
            // One package per folder: specs/cifar -> dev.resnetdsl.specs.cifar.
            String pkg = "dev.resnetdsl.specs."
                    + specs.relativize(file.getParent()).toString().replace('/', '.');
            for (ModelSpec model : compilation.models()) {
                GeneratedClass generated = generator.generate(model, pkg);
                assertArrayEquals(
                        generated.bytes(),
                        new ModelClassGenerator().generate(model, pkg).bytes(),
                        "two runs give the same bytes: " + relative);
                classes.add(generated);
                models.add(model);
            }
        }

        ClassLoader loader = InMemoryJavac.compile(classes);
        int onnxCompared = 0;
        for (int i = 0; i < classes.size(); i++) {
            ModelSpec model = models.get(i);
            Class<?> type = loader.loadClass(classes.get(i).qualifiedName());
            Network network = (Network) type.getMethod("network").invoke(null);
            assertEquals(model.params(), network.trainableParameterCount(), model.name());
            assertEquals(model.params(), type.getField("PARAMETERS").getLong(null), model.name());
            Network interpreted = SpecNetworks.build(model);
            assertSameNetwork(interpreted, network);
            if (model.params() < 2_000_000L) {
                // The path CLI export takes and the path user code takes give the same ONNX bytes.
                Weights weights = Weights.initial(network, network.initPolicy());
                assertArrayEquals(
                        OnnxExporter.export(weights, ExportOptions.defaults()).toByteArray(),
                        OnnxExporter.export(weights, ExportOptions.defaults()).toByteArray(),
                        "ONNX of " + model.name());
                onnxCompared++;
            }
        }
        assertTrue(onnxCompared >= 8, "ONNX compared for the CIFAR and MNIST nets: " + onnxCompared);
    }

    /** The repository's specs/ folder; it is part of the repository, so its absence fails the test. */
    static Path specsDirectory() throws IOException {
        String root = System.getProperty("resnet.root");
        Path base = root != null && !root.isBlank()
                ? Path.of(root)
                : Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                        .resolve("..");
        Path specs = base.resolve("specs").toRealPath();
        assertTrue(Files.isDirectory(specs), specs + " is not a directory");
        return specs;
    }
}
