package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every spec in specs/ exports with its seeded init and runs one small random batch with the right output shape. */
class EverySpecExportsAndRunsTest {
    @TestFactory
    Stream<DynamicTest> everySpec() throws IOException {
        List<Path> specs;
        try (Stream<Path> files = Files.walk(RuntimeCli.root().resolve("specs"))) {
            specs = files.filter(p -> p.toString().endsWith(".resnet")).sorted().toList();
        }
        assertFalse(specs.isEmpty(), "no specs found under " + RuntimeCli.root().resolve("specs"));
        return specs.stream()
                .map(spec -> DynamicTest.dynamicTest(
                        RuntimeCli.root().resolve("specs").relativize(spec).toString(), () -> check(spec)));
    }

    private static void check(Path specFile) throws IOException {
        StringWriter diagnostics = new StringWriter();
        ModelSpec spec =
                SpecFiles.model(specFile, RuntimeCli.root().resolve("specs"), null, new PrintWriter(diagnostics));
        Network net = SpecNetworks.build(spec);
        // Untrained and in evaluation mode, with the spec's own init: the initial BN running statistics are the
        // expected batch statistics (InitialStatistics), so even ResNet-1202's logits are finite. (With PyTorch's
        // running variance 1 its residual stream overflowed float32 to NaN.) The fixture tests check the numbers.
        InitPolicy policy = net.initPolicy();
        byte[] model = OnnxExporter.export(Weights.initial(net, policy), ExportOptions.defaults())
                .toByteArray();
        // Two images for small inputs, one for ImageNet-sized ones, to keep the suite quick.
        int batch = spec.input().height() <= 64 ? 2 : 1;
        try (Inference inference = Inference.open(model, Device.CPU)) {
            int[] shape = {
                batch,
                spec.input().channels(),
                spec.input().height(),
                spec.input().width()
            };
            float[] x = new float[Math.toIntExact(Tensor.elementCount(shape))];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            Tensor y = inference.run(Tensor.ofFloats(shape, x));
            assertEquals("F32[" + batch + ", " + spec.classes() + "]", y.describe(), specFile.toString());
            for (float v : y.floats()) {
                assertTrue(Float.isFinite(v), specFile + " gives a non-finite logit");
            }
        }
    }
}
