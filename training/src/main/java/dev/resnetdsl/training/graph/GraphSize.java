package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.onnx.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * How big a training graph is: the nodes its file holds (a loop body counted once) — what ONNX Runtime's session
 * start-up works through — and the nodes one run executes (a loop body counted once per block) — what a step
 * works through.
 *
 * @param fileNodes nodes of the top-level graph and of every loop body
 * @param scans {@code Scan} nodes (a loop over repeated blocks has one in the evaluation graph, two in the step
 *     graph)
 * @param stepNodes nodes executed by one run, loop bodies once per iteration
 */
public record GraphSize(long fileNodes, int scans, long stepNodes) {
    /** The size of a graph written by {@link TrainingGraphs}. */
    public static GraphSize of(Onnx.ModelProto model) {
        Onnx.GraphProto g = model.getGraph();
        Map<String, Onnx.NodeProto> producers = new HashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            n.getOutputList().forEach(o -> producers.put(o, n));
        }
        Map<String, Onnx.TensorProto> constants = new HashMap<>();
        g.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        long file = g.getNodeCount();
        long step = g.getNodeCount();
        int scans = 0;
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    long body = a.getG().getNodeCount();
                    file += body;
                    step += body * iterations(n, producers, constants);
                }
            }
            if (n.getOpType().equals("Scan")) {
                scans++;
            }
        }
        return new GraphSize(file, scans, step);
    }

    /**
     * A Scan's iterations: the rows of its first scan input, which {@link BlockLoop} makes with a Reshape to a
     * constant [blocks, B].
     */
    private static long iterations(
            Onnx.NodeProto scan, Map<String, Onnx.NodeProto> producers, Map<String, Onnx.TensorProto> constants) {
        long scanInputs = scan.getAttributeList().stream()
                .filter(a -> a.getName().equals("num_scan_inputs"))
                .mapToLong(Onnx.AttributeProto::getI)
                .findFirst()
                .orElse(0);
        if (!scan.getOpType().equals("Scan") || scanInputs == 0) {
            throw new IllegalArgumentException(scan.getOpType() + " node " + scan.getName() + " is not a loop here");
        }
        Onnx.NodeProto reshape = producers.get(scan.getInput((int) (scan.getInputCount() - scanInputs)));
        Onnx.TensorProto shape =
                reshape == null || !reshape.getOpType().equals("Reshape") ? null : constants.get(reshape.getInput(1));
        if (shape == null) {
            throw new IllegalArgumentException("cannot tell how often " + scan.getName() + " runs");
        }
        return shape.getInt64DataCount() > 0
                ? shape.getInt64Data(0)
                : ByteBuffer.wrap(shape.getRawData().toByteArray())
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong(0);
    }
}
