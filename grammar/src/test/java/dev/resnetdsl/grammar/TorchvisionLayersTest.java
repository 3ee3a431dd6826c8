package dev.resnetdsl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resnetdsl.grammar.spec.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every layer with parameters has torchvision's module name, parameter count and output shape, in torchvision's
 * order. The reference lists were made once with torchvision 0.14.1 by {@code torchvision/layers.py} (kept next to
 * them); the test itself needs no Python.
 */
class TorchvisionLayersTest {
    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50", "resnext50_32x4d", "wide_resnet50_2"})
    void layersMatchTorchvision(String model) throws IOException {
        Compilation compilation = SpecCompiler.compile(RepoRoot.spec("imagenet/" + model + ".resnet"));
        assertEquals("", compilation.formatDiagnostics());
        ModelSpec spec = compilation.models().get(0);
        List<String> ours = spec.layers().stream()
                .filter(r -> r.params() > 0)
                .map(r -> r.name() + " " + r.params() + " " + r.output())
                .collect(Collectors.toList());
        assertEquals(reference(model), ours);
    }

    private static List<String> reference(String model) throws IOException {
        String name = "torchvision/" + model + ".layers.txt";
        try (InputStream in = TorchvisionLayersTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .collect(Collectors.toList());
        }
    }
}
