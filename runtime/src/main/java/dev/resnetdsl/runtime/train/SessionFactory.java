package dev.resnetdsl.runtime.train;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates the ONNX Runtime sessions of a training bundle on the requested device. */
final class SessionFactory {
    private SessionFactory() {}

    static OrtSession create(OrtEnvironment env, Path graph, String device, Manifest manifest) throws IOException {
        if (!Files.isRegularFile(graph)) {
            throw new IOException(graph + ": missing from the training bundle");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            configureDevice(options, device);
            OrtSession session;
            try {
                session = env.createSession(graph.toString(), options);
            } catch (OrtException e) {
                throw new IOException(graph + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
            }
            String hash;
            try {
                hash = session.getMetadata().getCustomMetadata().get("network_hash");
            } catch (OrtException e) {
                hash = null;
            }
            if (!manifest.networkHash().equals(hash)) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // already failing
                }
                throw new IOException(graph + ": graph belongs to another network than " + Manifest.FILE
                        + " describes; re-create the bundle with train-artifacts");
            }
            return session;
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime session options: " + e.getMessage(), e);
        }
    }

    private static void configureDevice(OrtSession.SessionOptions options, String device) throws IOException {
        String d = device == null ? "cpu" : device.trim().toLowerCase(java.util.Locale.ROOT);
        if (d.equals("cpu")) {
            return;
        }
        if (d.equals("cuda") || d.startsWith("cuda:")) {
            int id = 0;
            if (d.startsWith("cuda:")) {
                try {
                    id = Integer.parseInt(d.substring(5));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("device must be cpu, cuda or cuda:N, got " + device);
                }
            }
            try {
                options.addCUDA(id);
            } catch (OrtException | RuntimeException e) {
                throw new IOException(
                        "CUDA device " + id + " is not available (" + e.getMessage()
                                + "); build with -Pcuda on a machine with CUDA 12 and cuDNN 9, or use --device cpu",
                        e);
            }
            return;
        }
        throw new IllegalArgumentException("device must be cpu, cuda or cuda:N, got " + device);
    }
}
