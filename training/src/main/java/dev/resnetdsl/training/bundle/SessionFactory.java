package dev.resnetdsl.training.bundle;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.runtime.ort.Sessions;
import dev.resnetdsl.training.graph.TrainingGraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens the ONNX Runtime session of one bundle graph and checks, before any step runs, that the graph is the one
 * the manifest describes: built for the same network and hyper-parameters ({@link GraphMetadata}), in the role it
 * is opened for, with the inputs and outputs the bundle feeds and reads and flat vectors of the manifest's sizes.
 * A graph that fails these checks would otherwise fail inside ONNX Runtime at the first step.
 */
final class SessionFactory {
    private SessionFactory() {}

    static OrtSession create(Path graph, SessionSettings settings, Manifest manifest, GraphMetadata.Role role)
            throws IOException {
        if (!Files.isRegularFile(graph)) {
            throw new IOException(graph + ": missing from the training bundle");
        }
        OrtSession session = Sessions.open(graph, settings);
        try {
            Map<String, String> metadata;
            try {
                metadata = session.getMetadata().getCustomMetadata();
            } catch (OrtException e) {
                metadata = Map.of();
            }
            GraphMetadata.check(graph, metadata, manifest, role);
            checkInputsAndOutputs(graph, session, manifest, role);
            return session;
        } catch (IOException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing with a clearer message
            }
            throw e;
        }
    }

    private static void checkInputsAndOutputs(
            Path graph, OrtSession session, Manifest manifest, GraphMetadata.Role role) throws IOException {
        int params = manifest.parameterLayout().size();
        int stats = manifest.statisticsLayout().size();
        List<String> missing = new ArrayList<>();
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new IncompatibleBundleException(graph + ": cannot read the graph's inputs and outputs");
        }
        expect(inputs, TrainingGraphs.INPUT, -1, missing);
        expect(inputs, TrainingGraphs.LABELS, -1, missing);
        expect(inputs, TrainingGraphs.PARAMS, params, missing);
        expect(outputs, TrainingGraphs.LOSS, -1, missing);
        expect(outputs, TrainingGraphs.CORRECT, -1, missing);
        if (stats > 0) {
            expect(inputs, TrainingGraphs.STATS, stats, missing);
        }
        int frozen = manifest.frozenLayout().size();
        if (frozen > 0) {
            expect(inputs, TrainingGraphs.FROZEN, frozen, missing);
        }
        if (role == GraphMetadata.Role.TRAIN_STEP) {
            expect(inputs, TrainingGraphs.LR, -1, missing);
            expect(inputs, TrainingGraphs.MOMENTUM, params, missing);
            expect(outputs, TrainingGraphs.PARAMS_OUT, params, missing);
            expect(outputs, TrainingGraphs.MOMENTUM_OUT, params, missing);
            expect(outputs, TrainingGraphs.GRADS, params, missing);
            if (stats > 0) {
                expect(outputs, TrainingGraphs.STATS_OUT, stats, missing);
            }
        } else {
            expect(outputs, TrainingGraphs.LOGITS, -1, missing);
        }
        if (!missing.isEmpty()) {
            throw new IncompatibleBundleException(graph + ": not the bundle's " + role.key + " graph for "
                    + Manifest.FILE + " (" + String.join("; ", missing) + ")");
        }
    }

    /** Notes in {@code problems} when {@code name} is absent, or (for {@code length} ≥ 0) is not F32[length]. */
    private static void expect(Map<String, NodeInfo> values, String name, int length, List<String> problems) {
        NodeInfo info = values.get(name);
        if (info == null) {
            problems.add("no '" + name + "'");
            return;
        }
        if (length >= 0) {
            long[] shape = info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
            if (shape.length != 1 || shape[0] != length) {
                problems.add("'" + name + "' holds " + java.util.Arrays.toString(shape) + " values, the manifest's"
                        + " layout " + length);
            }
        }
    }
}
