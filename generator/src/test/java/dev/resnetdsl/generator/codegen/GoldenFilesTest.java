package dev.resnetdsl.generator.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.testing.TestSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares generated classes with the files under {@code src/test/resources/goldens/}. After an intended
 * change to the generated code, rewrite them with {@code mvn test -pl generator -Dresnet.updateGoldens=true}
 * and review the diff.
 */
class GoldenFilesTest {
    static final String PACKAGE = "dev.resnetdsl.models";
    private static final boolean UPDATE = Boolean.getBoolean("resnet.updateGoldens");

    static Stream<Arguments> goldens() {
        return Stream.of(
                Arguments.of("basic", (Supplier<ModelSpec>) TestSpecs::resnet18),
                Arguments.of("bottleneck", (Supplier<ModelSpec>) TestSpecs::resnet50),
                Arguments.of("cifar-option-a", (Supplier<ModelSpec>) TestSpecs::cifarResnet20),
                Arguments.of("plain", (Supplier<ModelSpec>) TestSpecs::plain18),
                Arguments.of("resnext", (Supplier<ModelSpec>) TestSpecs::resnext50));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void generatedClassMatchesGolden(String dir, Supplier<ModelSpec> spec) throws IOException {
        GeneratedClass generated = new ModelClassGenerator().generate(spec.get(), PACKAGE);
        Path golden = goldensRoot().resolve(dir).resolve(generated.simpleName() + ".java");
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.write(golden, generated.bytes());
        }
        assertTrue(
                Files.isRegularFile(golden),
                golden + " is missing; create it with -Dresnet.updateGoldens=true and review it");
        assertEquals(
                Files.readString(golden, StandardCharsets.UTF_8),
                generated.source(),
                "generated code differs from " + golden
                        + " (if the change is intended: mvn test -pl generator -Dresnet.updateGoldens=true)");
    }

    /** The goldens in the source tree (not target/), so that updating them changes files under review. */
    static Path goldensRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/test/resources/goldens");
    }
}
