package dev.resnetdsl.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.Sessions;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
    @Test
    void irVersionFollowsOnnxsVersioningTable() {
        assertEquals(7, GraphBuilder.irVersionFor(13));
        assertEquals(7, GraphBuilder.irVersionFor(14));
        assertEquals(8, GraphBuilder.irVersionFor(15));
        assertEquals(8, GraphBuilder.irVersionFor(17));
        assertEquals(8, GraphBuilder.irVersionFor(18));
        assertEquals(9, GraphBuilder.irVersionFor(19));
        assertEquals(9, GraphBuilder.irVersionFor(20));
        assertEquals(10, GraphBuilder.irVersionFor(21));
        assertThrows(IllegalArgumentException.class, () -> GraphBuilder.irVersionFor(12));
    }

    @Test
    void namesAreAllocatedUniquelyAndExactNamesCannotCollide() {
        GraphBuilder g = new GraphBuilder("g");
        assertEquals("x", g.uniqueName("x"));
        assertEquals("x_2", g.uniqueName("x"));
        assertEquals("x_3", g.uniqueName("x"));
        var e = assertThrows(IllegalArgumentException.class, () -> g.input("x", DType.F32, 1));
        assertEquals("duplicate ONNX value name 'x'", e.getMessage());
    }

    @Test
    void builtGraphRunsInOnnxRuntimeWithSymbolicBatch() throws IOException, OrtException {
        GraphBuilder g = new GraphBuilder("affine");
        g.input("x", DType.F32, "N", 3);
        String w = g.initializer("w", Tensor.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        String b = g.constant("b", Tensor.ofFloats(new int[] {2}, new float[] {0.5f, -0.5f}));
        String y = g.node("Gemm", "x", w, b).attr("transB", 1).attr("alpha", 2f).output("y");
        String z = g.node("Mul", y, g.constant("two", Tensor.scalar(2f)))
                .doc("scale")
                .output("z");
        String r =
                g.node("ReduceSum", z, g.int64s("axes", 1)).attr("keepdims", 0).output("sum", true);
        g.output(r, DType.F32, "N");
        g.metadata("k", "v");
        ModelProto model = g.model(17);
        assertEquals(8, model.getIrVersion());
        assertEquals("v", model.getMetadataProps(0).getValue());

        try (OrtSession s = Sessions.open(model.toByteArray(), Device.CPU);
                OnnxTensor x = OnnxTensor.createTensor(
                        Sessions.environment(), FloatBuffer.wrap(new float[] {1, 0, 0, 0, 1, 1}), new long[] {2, 3});
                OrtSession.Result res = s.run(Map.of("x", x))) {
            float[] out = (float[]) res.get(0).getValue();
            // row 0: 2·(1,4)+(0.5,−0.5) = (2.5, 7.5) → ×2 → sum 20; row 1: 2·(5,11)+… = (10.5, 21.5) → ×2 → 64
            assertArrayEquals(new float[] {20f, 64f}, out);
        }
    }
}
