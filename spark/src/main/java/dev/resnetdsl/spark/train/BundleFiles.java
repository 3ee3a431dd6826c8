package dev.resnetdsl.spark.train;

import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.net.NetworkMetadata;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training bundle's files as bytes, broadcast once per run so that executors without the bundle's folder (every
 * executor of a real cluster) can open it. The key names the graphs' content: workers of another run of the same
 * bundle reuse the sessions already open.
 *
 * @param files file name → content
 * @param key SHA-256 over the two graphs
 */
record BundleFiles(Map<String, byte[]> files, String key) implements Serializable {
    private static final List<String> NAMES = List.of(
            TrainingBundle.TRAIN_STEP_FILE, TrainingBundle.EVAL_FILE, TrainingBundle.CHECKPOINT_FILE, Manifest.FILE);

    /** Reads the bundle in {@code dir}. */
    static BundleFiles read(Path dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : NAMES) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new IOException(dir + ": not a complete training bundle (no " + name + ")");
            }
            files.put(name, Files.readAllBytes(f));
        }
        byte[] train = files.get(TrainingBundle.TRAIN_STEP_FILE);
        byte[] eval = files.get(TrainingBundle.EVAL_FILE);
        String key = NetworkMetadata.sha256(NetworkMetadata.sha256(train) + NetworkMetadata.sha256(eval));
        return new BundleFiles(Map.copyOf(files), key);
    }

    /** Writes the files into {@code dir} (which must exist), manifest last, as the bundle writer does. */
    void writeTo(Path dir) throws IOException {
        for (String name : NAMES) {
            AtomicFiles.write(dir.resolve(name), files.get(name));
        }
    }
}
