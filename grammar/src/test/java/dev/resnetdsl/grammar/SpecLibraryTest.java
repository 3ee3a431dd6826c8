package dev.resnetdsl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.resnetdsl.grammar.spec.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every file of the spec library compiles and has the parameter and MAC totals of torchvision and the paper. */
class SpecLibraryTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            imagenet/resnet18.resnet          | ResNet18        | 11689512 | 1814073344
            imagenet/resnet34.resnet          | ResNet34        | 21797672 | 3663761408
            imagenet/resnet50.resnet          | ResNet50        | 25557032 | 4089184256
            imagenet/resnet50_v1.resnet       | ResNet50V1      | 25557032 | 3857973248
            imagenet/resnet101.resnet         | ResNet101       | 44549160 | 7801405440
            imagenet/resnet152.resnet         | ResNet152       | 60192808 | 11513626624
            imagenet/resnext50_32x4d.resnet   | ResNeXt50_32x4d | 25028904 | 4230479872
            imagenet/wide_resnet50_2.resnet   | WideResNet50_2  | 68883240 | 11398021120
            imagenet/plain18.resnet           | Plain18         | 11515688 | 1794805760
            imagenet/plain34.resnet           | Plain34         | 21623848 | 3644493824
            cifar/resnet20.resnet             | ResNet20        | 269722   | 40551040
            cifar/resnet32.resnet             | ResNet32        | 464154   | 68862592
            cifar/resnet44.resnet             | ResNet44        | 658586   | 97174144
            cifar/resnet56.resnet             | ResNet56        | 853018   | 125485696
            cifar/resnet110.resnet            | ResNet110       | 1727962  | 252887680
            cifar/resnet1202.resnet           | ResNet1202      | 19421274 | 2829238912
            cifar/plain20.resnet              | Plain20         | 269722   | 40551040
            cifar/plain56.resnet              | Plain56         | 853018   | 125485696
            mnist/resnet20.resnet             | MnistResNet20   | 269434   | 30821248
            mnist/resnet1202.resnet           | MnistResNet1202 | 19420986 | 2165910400
            """)
    void totalsMatchTheReferenceNumbers(String file, String model, long params, long macs) throws IOException {
        // mnist/resnet20 imports ../cifar/resnet20: the library's import root is specs/, not each spec's folder.
        Compilation compilation = SpecCompiler.compile(RepoRoot.spec(file), RepoRoot.spec(""));
        assertEquals("", compilation.formatDiagnostics());
        assertEquals(1, compilation.models().size(), "models declared in " + file);
        ModelSpec spec = compilation.models().get(0);
        assertEquals(model, spec.name());
        assertEquals(params, spec.params(), "params of " + file);
        assertEquals(macs, spec.macs(), "MACs of " + file);
        assertEquals(params, spec.layers().stream().mapToLong(r -> r.params()).sum(), "sum of row params");
        assertEquals(macs, spec.layers().stream().mapToLong(r -> r.macs()).sum(), "sum of row MACs");
    }

    @Test
    void theTableCoversEverySpecFile() throws IOException {
        Path specs = RepoRoot.get().resolve("specs");
        List<String> files;
        try (Stream<Path> walk = Files.walk(specs)) {
            files = walk.filter(p -> p.toString().endsWith(".resnet"))
                    .map(p -> specs.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(20, files.size(), "spec files: " + files);
        for (String file : files) {
            assertFalse(SpecCompiler.compile(specs.resolve(file), specs).hasErrors(), file);
        }
    }
}
