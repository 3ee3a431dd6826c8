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
    void uniqueNamesSkipExactNamesReservedInBetween() {
        GraphBuilder g = new GraphBuilder("g");
        g.reserve("y_3");
        assertEquals("y", g.uniqueName("y"));
        assertEquals("y_2", g.uniqueName("y"));
        assertEquals("y_4", g.uniqueName("y")); // the same names as probing y, y_2, y_3, … from the start
        g.reserve("z");
        assertEquals("z_2", g.uniqueName("z"));
    }

    @Test
    void takingTheGraphTwiceGivesTheSameNodes() {
        // A loop body's proto is taken for its Scan's attribute and may be taken again; each node's inputs and
        // outputs were once appended to the node's own builder, so the second graph listed them twice.
        GraphBuilder g = new GraphBuilder("g");
        g.input("x", DType.F32, 2);
        g.output(g.node("Relu", "x").output("y"), DType.F32, 2);
        var first = g.graph();
        var second = g.graph();
        assertEquals(first, second);
        assertEquals(java.util.List.of("x"), second.getNode(0).getInputList());
        assertEquals(java.util.List.of("y"), second.getNode(0).getOutputList());
    }

    @Test
    void subgraphsShareTheValueNamesOfTheirScopeAndPrefixTheirNodeNames() throws IOException, OrtException {
        // Scan: running sum s of the rows of x [L, 2], scan output s after each row.
        GraphBuilder g = new GraphBuilder("outer");
        g.input("x", DType.F32, 3, 2);
        g.input("s0", DType.F32, 2);
        GraphBuilder body = g.subgraph("body");
        String s = body.uniqueName("s0"); // "s0" is the outer input's: the body gets another name
        String row = body.uniqueName("row");
        assertEquals("s0_2", s);
        body.inputReserved(s, DType.F32, 2);
        body.inputReserved(row, DType.F32, 2);
        String next = body.node("Add", s, row).output("sum");
        String copy = body.node("Identity", next).output("sum");
        body.output(next, DType.F32, 2);
        body.output(copy, DType.F32, 2);
        assertEquals("sum_2", copy);
        assertEquals("body/Add_0", body.graph().getNode(0).getName());
        assertThrows(IllegalArgumentException.class, () -> body.inputReserved("never", DType.F32, 2));

        g.node("Scan", "s0", "x")
                .attr("num_scan_inputs", 1)
                .attr(dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto.newBuilder()
                        .setName("body")
                        .setType(dev.resnetdsl.runtime.onnx.proto.Onnx.AttributeProto.AttributeType.GRAPH)
                        .setG(body.graph())
                        .build())
                .outputs("total", "sums");
        g.output("total", DType.F32, 2);
        g.output("sums", DType.F32, 3, 2);
        try (OrtSession session = Sessions.open(g.model(17).toByteArray(), Device.CPU);
                OnnxTensor x = OnnxTensor.createTensor(
                        Sessions.environment(), FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}), new long[] {3, 2});
                OnnxTensor s0 = OnnxTensor.createTensor(
                        Sessions.environment(), FloatBuffer.wrap(new float[] {10, 20}), new long[] {2});
                OrtSession.Result res = session.run(Map.of("x", x, "s0", s0))) {
            assertArrayEquals(new float[] {19, 32}, (float[]) res.get(0).getValue());
            assertArrayEquals(new float[] {11, 22}, ((float[][]) res.get(1).getValue())[0]);
        }
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
