package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.Parameter;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.runtime.testing.Fixtures;
import dev.resnetdsl.runtime.testing.ReferenceForward;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning from the command line, as the fine-tuning issue's first "done when" asks: torchvision's ResNet-18
 * weights (1000 classes, torchvision names) into a 10-class spec with a new head, the stem and the first three
 * stages frozen, and one step checked against an independent computation.
 */
class FineTuneCommandTest {
    /** ResNet-18 as torchvision's, 48×48 inputs (layer4 sees 2×2: BN over 8 values per channel) (the weights do not depend on the input size) and 10 classes. */
    private static final String SPEC =
            """
            model Birds18 {
              input 3x48x48
              classes 10
              stem {
                conv 7x7 64 /2
                maxpool 3x3 /2
              }
              block basic
              shortcut B
              stage conv2_x 64 x2
              stage conv3_x 128 x2 /2
              stage conv4_x 256 x2 /2
              stage conv5_x 512 x2 /2
              head {
                avgpool
                fc classes
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void newHeadAndFrozenBackboneStepMatchesAnIndependentComputation() throws IOException {
        Path weights = Fixtures.require("torchvision-resnet18/model.onnx");
        Path spec = dir.resolve("birds.resnet");
        Files.writeString(spec, SPEC);

        // Without --new-head the shape difference stays the clear error it was.
        CliRun strict = CliRun.of(
                "train-artifacts", spec.toString(), "-o", dir.resolve("x").toString(), "--weights", weights.toString());
        assertEquals(1, strict.status(), strict.out());
        assertTrue(
                strict.err()
                        .contains("fc.weight needs F32[10, 512] but the file's tensor 'fc.weight' is F32[1000, 512]"),
                strict.err());

        Path bundle = dir.resolve("birds");
        CliRun made = CliRun.of(
                "train-artifacts",
                spec.toString(),
                "-o",
                bundle.toString(),
                "--weights",
                weights.toString(),
                "--new-head",
                "--freeze",
                "stem,conv2_x,conv3_x,conv4_x",
                "--lr",
                "0.05");
        assertEquals(0, made.status(), made.err());
        assertTrue(made.out().contains("loaded 100 tensors"), made.out()); // 102 less fc.weight and fc.bias
        assertTrue(made.out().contains("11,181,642 parameters, 8,398,858 of them trainable"), made.out());
        assertTrue(
                made.out().contains("re-initialised (new head): fc.weight (file: F32[1000, 512]), fc.bias"),
                made.out());
        Manifest manifest = Manifest.read(bundle.resolve(Manifest.FILE));
        assertEquals(List.of("stem", "conv2_x", "conv3_x", "conv4_x"), manifest.freeze());
        assertEquals(
                "PER_CHANNEL",
                manifest.preprocessing().normalization().kind().name(),
                "torchvision weights bring ImageNet's normalisation");

        // One step on a random batch.
        Compilation c = SpecCompiler.compile("birds.resnet", SPEC, dir);
        assertFalse(c.hasErrors(), c.formatDiagnostics());
        Network net = SpecNetworks.build(c.models().get(0));
        Weights start = Weights.loadForNewHead(net, weights).weights();
        int n = 2;
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n * 3 * 48 * 48];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        long[] y = {3, 8};
        Path batch = dir.resolve("batch.safetensors");
        Safetensors.write(
                batch,
                Map.of(
                        "input",
                        Tensor.ofFloats(new int[] {n, 3, 48, 48}, x),
                        "labels",
                        Tensor.ofLongs(new int[] {n}, y)));
        Path out = dir.resolve("step.safetensors");
        CliRun step = CliRun.of("step", bundle.toString(), "--batch", batch.toString(), "--out", out.toString());
        assertEquals(0, step.status(), step.err());
        TensorFile result = Safetensors.read(out);

        Predicate<String> frozen = name -> !name.startsWith("layer4.") && !name.startsWith("fc.");
        List<String> grads = new ArrayList<>();
        result.tensors().keySet().stream().filter(k -> k.startsWith("grad.")).forEach(k -> grads.add(k.substring(5)));
        List<String> expectedGrads = new ArrayList<>();
        for (Parameter p : net.parameters().values()) {
            if (p.kind().trainable() && !frozen.test(p.name())) {
                expectedGrads.add(p.name());
            }
        }
        assertEquals(expectedGrads, grads, "grad. only for the trainable parameters (layer4 and fc)");

        // Independent computation: the double-precision reference forward pass with the frozen BNs in
        // evaluation mode; its loss, its central differences at sampled coordinates, and PyTorch's SGD rule.
        Function<String, double[]> at = name -> toDouble(start.get(name).floats());
        Predicate<String> frozenBn = bn -> frozen.test(bn + ".weight");
        double refLoss = ReferenceForward.trainingLoss(net, at, x, y, frozenBn);
        assertEquals(refLoss, result.require("loss").floats()[0], 1e-4 * Math.abs(refLoss), "loss");
        List<String> failures = new ArrayList<>();
        for (Parameter p : net.parameters().values()) {
            float[] before = start.get(p.name()).floats();
            float[] after = result.require("after." + p.name()).floats();
            if (frozen.test(p.name())) {
                assertArrayEquals(before, after, p.name() + " is frozen (BN statistics included): unchanged");
                continue;
            }
            if (!p.kind().trainable()) {
                // A trained BN's statistics move towards the batch's: 0.9·running + 0.1·batch. (Means of
                // channels that a ReLU zeroed for the whole batch stay put, so compare the whole vector.)
                assertFalse(java.util.Arrays.equals(before, after), p.name() + " is a trained BN's statistic");
                continue;
            }
            float[] g = result.require("grad." + p.name()).floats();
            for (int i = 0; i < g.length; i++) {
                float expected = before[i] - 0.05f * (g[i] + 1e-4f * before[i]);
                if (Math.abs(expected - after[i]) > 1e-6f * Math.max(1, Math.abs(expected))) {
                    failures.add(p.name() + "[" + i + "] updated to " + after[i] + ", SGD gives " + expected);
                    break;
                }
            }
        }
        for (String name : List.of("fc.weight", "fc.bias", "layer4.1.conv2.weight", "layer4.0.bn1.weight")) {
            float[] g = result.require("grad." + name).floats();
            int largest = 0;
            for (int i = 1; i < g.length; i++) {
                largest = Math.abs(g[i]) > Math.abs(g[largest]) ? i : largest;
            }
            double fd = centralDifference(net, at, name, largest, x, y, frozenBn);
            if (Math.abs(fd - g[largest]) > 2e-3 * Math.abs(g[largest]) + 1e-6) {
                failures.add(
                        String.format("%s[%d]: finite difference %.7g, gradient %.7g", name, largest, fd, g[largest]));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static double centralDifference(
            Network net,
            Function<String, double[]> base,
            String name,
            int index,
            float[] x,
            long[] y,
            Predicate<String> frozenBn) {
        double eps = 1e-4;
        double lp = ReferenceForward.trainingLoss(net, shifted(base, name, index, eps), x, y, frozenBn);
        double lm = ReferenceForward.trainingLoss(net, shifted(base, name, index, -eps), x, y, frozenBn);
        return (lp - lm) / (2 * eps);
    }

    private static Function<String, double[]> shifted(
            Function<String, double[]> base, String name, int index, double by) {
        Map<String, double[]> cache = new LinkedHashMap<>();
        return n -> cache.computeIfAbsent(n, k -> {
            double[] v = base.apply(k);
            if (k.equals(name)) {
                v[index] += by;
            }
            return v;
        });
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
