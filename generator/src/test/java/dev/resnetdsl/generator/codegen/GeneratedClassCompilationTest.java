package dev.resnetdsl.generator.codegen;

import static dev.resnetdsl.generator.testing.NetworkAssertions.assertSameNetwork;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.api.Classifier;
import dev.resnetdsl.api.FineTuning;
import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.generator.testing.InMemoryJavac;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.testing.TestSpecs;
import dev.resnetdsl.runtime.net.FanMode;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.Manifest;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.processing.Generated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles the generated classes with javac (lint on, warnings are errors) and runs them. */
class GeneratedClassCompilationTest {
    private static final List<ModelSpec> SPECS = List.of(
            TestSpecs.resnet18(),
            TestSpecs.resnet50(),
            TestSpecs.resnet50v1(),
            TestSpecs.resnext50(),
            TestSpecs.plain18(),
            TestSpecs.cifarResnet20());

    @Test
    void generatedClassesBuildTheSameNetworkAsTheInterpreter() throws Exception {
        List<GeneratedClass> classes = new ModelClassGenerator().generateAll(SPECS, "com.example.nets");
        ClassLoader loader = InMemoryJavac.compile(classes);
        for (int i = 0; i < SPECS.size(); i++) {
            ModelSpec spec = SPECS.get(i);
            Class<?> type = loader.loadClass(classes.get(i).qualifiedName());
            Network generated = (Network) type.getMethod("network").invoke(null);
            assertSameNetwork(SpecNetworks.build(spec), generated);
            assertEquals(spec.params(), generated.trainableParameterCount(), spec.name());
            assertEquals(spec.params(), type.getField("PARAMETERS").getLong(null));
            assertEquals(spec.macs(), type.getField("MACS").getLong(null));
            assertEquals(
                    spec.input().channels(), type.getField("INPUT_CHANNELS").getInt(null));
            assertEquals(spec.input().height(), type.getField("INPUT_HEIGHT").getInt(null));
            assertEquals(spec.input().width(), type.getField("INPUT_WIDTH").getInt(null));
            assertEquals(spec.classes(), type.getField("CLASSES").getInt(null));
            assertEquals(spec.sourceText(), type.getField("SPEC_SOURCE").get(null));

            Network seeded = (Network) type.getMethod("network", long.class).invoke(null, 42L);
            assertEquals(42L, seeded.initPolicy().seed());
            InitPolicy custom = new InitPolicy(FanMode.FAN_IN, true, 7L);
            Network withPolicy =
                    (Network) type.getMethod("network", InitPolicy.class).invoke(null, custom);
            assertSameNetwork(SpecNetworks.build(spec, custom), withPolicy);
        }
    }

    @Test
    void generatedClassIsAnnotatedAndOnlyExposesTheNetworkFactories() throws Exception {
        ModelSpec spec = TestSpecs.resnet18();
        GeneratedClass generated = new ModelClassGenerator().generate(spec, "com.example.nets");
        Class<?> type = InMemoryJavac.compile(List.of(generated)).loadClass("com.example.nets.ResNet18");
        assertTrue(Modifier.isFinal(type.getModifiers()));
        // @Generated has source retention: check the source for it.
        String source = generated.source();
        assertTrue(source.contains("@Generated("), source);
        assertTrue(source.contains("value = \"" + ModelClassGenerator.GENERATOR_NAME + "\""), source);
        assertTrue(source.contains("comments = \"specs/imagenet/resnet18.resnet\""), source);
        assertTrue(generated.source().contains("import " + Generated.class.getName() + ";"));
        List<String> publicMethods = java.util.Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName)
                .distinct()
                .sorted()
                .toList();
        assertEquals(List.of("classifier", "fineTuning", "network", "writeTrainingBundle"), publicMethods);
        assertArrayEquals(new Class<?>[0], type.getConstructors());
    }

    @Test
    void generatedClassWritesATrainingBundleOfItsOwnNetwork(@TempDir Path dir) throws Exception {
        ModelSpec spec = TestSpecs.cifarResnet20();
        GeneratedClass generated = new ModelClassGenerator().generate(spec, "com.example.nets");
        Class<?> type = InMemoryJavac.compile(List.of(generated)).loadClass(generated.qualifiedName());
        Hyperparameters hp = new Hyperparameters(0.05f, 0.9f, 5e-4f, true);
        type.getMethod("writeTrainingBundle", Path.class, Hyperparameters.class).invoke(null, dir, hp);
        for (String file : List.of("train_step.onnx", "eval.onnx", "checkpoint.safetensors", "manifest.json")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        Manifest manifest = Manifest.read(dir.resolve(Manifest.FILE));
        assertEquals(spec.name(), manifest.model());
        assertEquals(spec.params(), manifest.parameterLayout().size());
        assertEquals(hp, manifest.hyperparameters());
    }

    @Test
    void generatedClassOpensClassifiersOnlyForItsOwnNetwork(@TempDir Path dir) throws Exception {
        GeneratedClass generated = new ModelClassGenerator().generate(TestSpecs.cifarResnet20(), "com.example.nets");
        Class<?> type = InMemoryJavac.compile(List.of(generated)).loadClass(generated.qualifiedName());
        Network own = (Network) type.getMethod("network").invoke(null);
        Path ownModel = dir.resolve("own.onnx");
        OnnxExporter.write(Weights.initial(own), ExportOptions.defaults(), ownModel);
        try (Classifier c =
                (Classifier) type.getMethod("classifier", Path.class).invoke(null, ownModel)) {
            var image = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
            assertEquals(3, c.classify(image, 3).size());
        }
        Network other = dev.resnetdsl.api.SpecNetworks.build(TestSpecs.resnet18());
        Path otherModel = dir.resolve("other.onnx");
        OnnxExporter.write(Weights.initial(other), ExportOptions.defaults(), otherModel);
        var e = assertThrows(
                java.lang.reflect.InvocationTargetException.class,
                () -> type.getMethod("classifier", Path.class).invoke(null, otherModel));
        assertTrue(
                e.getCause().getMessage().contains("holds another network than ResNet20"),
                e.getCause().getMessage());
        FineTuning ft = (FineTuning) type.getMethod("fineTuning", Path.class).invoke(null, ownModel);
        assertEquals(own.structureHash(), ft.network().structureHash());
    }

    @Test
    void generationIsDeterministic() {
        for (ModelSpec spec : SPECS) {
            GeneratedClass first = new ModelClassGenerator().generate(spec, "a.b");
            GeneratedClass second = new ModelClassGenerator().generate(spec, "a.b");
            assertArrayEquals(first.bytes(), second.bytes(), spec.name());
            assertTrue(first.source().chars().allMatch(c -> c < 0x80), "pure ASCII: " + spec.name());
            assertTrue(!first.source().matches("(?s).*20\\d\\d-\\d\\d-\\d\\d.*"), "no date in " + spec.name());
        }
    }
}
