package dev.resnetdsl.training.bundle;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the ONNX Runtime session of one bundle graph and checks that the graph was built for the
 * network the manifest describes.
 */
final class SessionFactory {
    private SessionFactory() {}

    static OrtSession create(Path graph, Device device, Manifest manifest) throws IOException {
        if (!Files.isRegularFile(graph)) {
            throw new IOException(graph + ": missing from the training bundle");
        }
        OrtSession session = Sessions.open(graph, device);
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
                // already failing with a clearer message
            }
            throw new IncompatibleBundleException(
                    graph + ": graph belongs to another network than " + Manifest.FILE + " describes");
        }
        return session;
    }
}
