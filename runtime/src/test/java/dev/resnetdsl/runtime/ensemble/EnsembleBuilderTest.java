package dev.resnetdsl.runtime.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.inference.TopK;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.onnx.ExportOptions;
import dev.resnetdsl.runtime.onnx.OnnxExporter;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.testing.BrokenModels;
import dev.resnetdsl.runtime.testing.TinyNets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleBuilderTest {
    private final Network net = TinyNets.tiny();
    private final ModelProto a = OnnxExporter.export(TinyNets.randomWeights(net, 1), ExportOptions.defaults());
    private final ModelProto b = OnnxExporter.export(
            TinyNets.randomWeights(net, 2),
            ExportOptions.defaults().withOpset(13).withFoldBn(true));
    private final Tensor input = TinyNets.randomInput(net, 2, 3);

    @Test
    void averagesTheMembersSoftmax() throws IOException {
        ModelProto ensemble = EnsembleBuilder.build(List.of(a, b), List.of("a.onnx", "b.onnx"));
        assertEquals(17, ensemble.getOpsetImport(0).getVersion());
        Tensor la = run(a);
        Tensor lb = run(b);
        Tensor p = run(ensemble);
        assertEquals("F32[2, 5]", p.describe());
        for (int row = 0; row < 2; row++) {
            double[] pa = TopK.softmax(la.floats(), row * 5, 5);
            double[] pb = TopK.softmax(lb.floats(), row * 5, 5);
            for (int k = 0; k < 5; k++) {
                assertEquals((pa[k] + pb[k]) / 2, p.floats()[row * 5 + k], 1e-6);
            }
        }
        assertTrue(ensemble.getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getName().equals("m1.conv1.weight")));
    }

    @Test
    void membersThatDisagreeAreNamed() {
        NetworkBuilder nb = NetworkBuilder.create("Other", 3, 12, 12);
        Network other = nb.build(nb.fullyConnected("fc", nb.globalAvgPool(nb.input()), 7));
        ModelProto c = OnnxExporter.export(TinyNets.randomWeights(other, 1), ExportOptions.defaults());
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> EnsembleBuilder.build(List.of(a, c), List.of("a.onnx", "c.onnx")));
        assertEquals(
                "c.onnx has 7 classes but a.onnx has 5; ensemble members must agree on the classes", e.getMessage());

        NetworkBuilder sb = NetworkBuilder.create("Small", 3, 8, 8);
        Network small = sb.build(sb.fullyConnected("fc", sb.globalAvgPool(sb.input()), 5));
        ModelProto d = OnnxExporter.export(TinyNets.randomWeights(small, 1), ExportOptions.defaults());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> EnsembleBuilder.build(List.of(a, d), List.of("a.onnx", "d.onnx")));
        assertEquals(
                "d.onnx takes input [N, 3, 8, 8] but a.onnx takes [N, 3, 12, 12]; ensemble members must agree on the input",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnsembleBuilder.build(List.of(a), List.of("a.onnx")));
    }

    private Tensor run(ModelProto model) throws IOException {
        try (Inference inference = Inference.open(model.toByteArray(), Device.CPU)) {
            return inference.run(input);
        }
    }

    /**
     * A member whose fc layer computes 7 classes behind a declared output of 5 passes the builder's checks of the
     * declared shapes, but ONNX Runtime cannot load the ensemble: nothing may be left behind as if it had worked.
     */
    @Test
    void anEnsembleOnnxRuntimeCannotLoadIsNotWritten(@TempDir Path dir) throws IOException {
        ModelProto ensemble =
                EnsembleBuilder.build(List.of(a, BrokenModels.fcWithClasses(7)), List.of("a.onnx", "broken.onnx"));
        Path out = dir.resolve("ensemble.onnx");
        IOException e = assertThrows(IOException.class, () -> EnsembleFiles.write(ensemble, out));
        assertTrue(
                e.getMessage().startsWith("ONNX Runtime cannot use the ensemble, so it was not kept: "),
                e.getMessage());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary or data file left");
        }

        EnsembleFiles.write(EnsembleBuilder.build(List.of(a, b), List.of("a.onnx", "b.onnx")), out);
        assertTrue(Files.isRegularFile(out));
    }
}
