package dev.resnetdsl.training.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.runtime.testing.Posix;
import dev.resnetdsl.runtime.weights.Weights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A training bundle's files are read back by the tools and may have been edited, damaged or swapped (see
 * docs/security.md). Each row damages a fresh bundle one way; opening it must fail with an {@link IOException}
 * whose one-line message names the problem — never a different exception, never a hang, never success — and
 * leave the damaged file as it was.
 */
class BundleHostileInputTest {
    @TempDir
    Path tmp;

    Path dir;
    Path other;

    @BeforeEach
    void writeBundles() throws IOException {
        Network net = TrainingBundleTest.tiny("Hostile", 4);
        dir = tmp.resolve("bundle");
        TrainingBundle.write(dir, Weights.initial(net, InitPolicy.defaults()), Hyperparameters.defaults());
        // the same network with other baked-in hyper-parameters
        other = tmp.resolve("other");
        TrainingBundle.write(
                other, Weights.initial(net, InitPolicy.defaults()), new Hyperparameters(0.1f, 0.5f, 1e-3f, true));
    }

    /** Damages the bundle. */
    @FunctionalInterface
    interface Damage {
        void apply(BundleHostileInputTest t) throws Exception;
    }

    static Arguments row(String what, Damage damage, String message) {
        return Arguments.of(what, damage, message);
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                // manifest.json
                row(
                        "manifest: a key given twice",
                        t -> t.editManifest(
                                s -> s.replaceFirst("\"classes\": 4,", "\"classes\": 4,\n  \"classes\": 3,")),
                        "duplicate key \"classes\""),
                row(
                        "manifest: lr -1",
                        t -> t.editManifest(s -> s.replace("\"learningRate\": 0.1", "\"learningRate\": -1")),
                        "learning rate must be a positive number, got -1.0"),
                row(
                        "manifest: lr NaN",
                        t -> t.editManifest(s -> s.replace("\"learningRate\": 0.1", "\"learningRate\": NaN")),
                        "not a valid training-bundle manifest"),
                row(
                        "manifest: lr 1e400",
                        t -> t.editManifest(s -> s.replace("\"learningRate\": 0.1", "\"learningRate\": 1e400")),
                        "learning rate must be a positive number, got Infinity"),
                row(
                        "manifest: negative input size",
                        t -> t.editManifest(s -> s.replaceFirst("\"inputShape\": \\[\\s*3,", "\"inputShape\": [-3,")),
                        "input shape [-3, 8, 8] is out of range"),
                row(
                        "manifest: classes disagree with the graphs",
                        t -> t.editManifest(s -> s.replace("\"classes\": 4", "\"classes\": 5")),
                        "built with number of classes 4 but manifest.json says 5"),
                row(
                        "manifest: another spec hash",
                        t -> t.editManifest(s -> s.replace("\"specHash\": \"", "\"specHash\": \"beef")),
                        "the graph was built with spec hash"),
                row(
                        "manifest: momentum disagrees with the step graph",
                        t -> t.editManifest(s -> s.replace("\"momentum\": 0.9", "\"momentum\": 0.5")),
                        "built with momentum 0.9 but manifest.json says 0.5"),
                row(
                        "manifest: Nesterov disagrees with the step graph",
                        t -> t.editManifest(s -> s.replace("\"nesterov\": false", "\"nesterov\": true")),
                        "built with Nesterov setting false but manifest.json says true"),
                row(
                        "manifest: a layout entry of the wrong length",
                        t -> t.editManifest(s -> s.replaceFirst("\"length\": 108", "\"length\": 109")),
                        "is not contiguous"),
                row(
                        "manifest: a huge number where an int belongs",
                        t -> t.editManifest(s -> s.replace("\"classes\": 4", "\"classes\": 99999999999")),
                        "out of range for an int"),
                row("manifest: cut short", t -> t.truncate(Manifest.FILE, 100), "not a valid training-bundle manifest"),
                row(
                        "manifest: a FIFO",
                        t -> {
                            Files.delete(t.dir.resolve(Manifest.FILE));
                            Posix.fifo(t.dir.resolve(Manifest.FILE));
                        },
                        "not a training bundle (no manifest.json)"),
                // checkpoint.safetensors
                row(
                        "checkpoint: one bit flipped in a weight",
                        t -> t.flipDataBit(100),
                        "the bytes of tensor conv1.weight do not match its checksum"),
                row(
                        "checkpoint: one bit flipped in the step counter",
                        t -> t.flipDataBit(-1),
                        "the bytes of tensor epoch do not match its checksum"),
                row(
                        "checkpoint: one bit flipped in its metadata",
                        t -> t.flipHeaderByteAfter("\"model\":\"Hostil"),
                        "its metadata (training state) does not match its checksum"),
                row(
                        "checkpoint: checksums stripped",
                        BundleHostileInputTest::stripChecksums,
                        "checkpoint has no checksums"),
                row("checkpoint: a tensor named twice in the header", t -> t.duplicateHeaderKey(), "duplicate key"),
                row("checkpoint: cut short", t -> t.truncate(Checkpoint.FILE, 5000), "cannot read checkpoint"),
                row(
                        "checkpoint: a FIFO",
                        t -> {
                            Files.delete(t.dir.resolve(Checkpoint.FILE));
                            Posix.fifo(t.dir.resolve(Checkpoint.FILE));
                        },
                        "not a regular file"),
                // the graphs
                row(
                        "eval.onnx where the step graph belongs",
                        t -> t.copy(t.dir, TrainingBundle.EVAL_FILE, TrainingBundle.TRAIN_STEP_FILE),
                        "expected the bundle's train_step graph, found the eval graph"),
                row(
                        "train_step.onnx where the eval graph belongs",
                        t -> t.copy(t.dir, TrainingBundle.TRAIN_STEP_FILE, TrainingBundle.EVAL_FILE),
                        "expected the bundle's eval graph, found the train_step graph"),
                row(
                        "a step graph with other hyper-parameters",
                        t -> t.copy(t.other, TrainingBundle.TRAIN_STEP_FILE, TrainingBundle.TRAIN_STEP_FILE),
                        "the graph was built with momentum 0.5 but manifest.json says 0.9"),
                row(
                        "a graph that is not ONNX",
                        t -> Files.writeString(t.dir.resolve(TrainingBundle.EVAL_FILE), "garbage"),
                        "ONNX Runtime cannot load it"),
                row(
                        "a graph missing",
                        t -> Files.delete(t.dir.resolve(TrainingBundle.TRAIN_STEP_FILE)),
                        "missing from the training bundle"),
                // the lock file
                row(
                        "bundle.lock is a symbolic link to someone else's file",
                        t -> {
                            Files.deleteIfExists(t.dir.resolve("bundle.lock"));
                            Files.createSymbolicLink(
                                    t.dir.resolve("bundle.lock"),
                                    Files.writeString(t.tmp.resolve("precious.txt"), "keep me"));
                        },
                        "cannot open the bundle's lock file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void aDamagedBundleIsAOneLineErrorAndStaysAsItWas(String what, Damage damage, String message) throws Exception {
        damage.apply(this);
        Map<String, byte[]> before = regularFiles();
        IOException e = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThrows(IOException.class, () -> TrainingBundle.open(dir, Device.CPU)));
        assertTrue(e.getMessage().contains(message), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        Map<String, byte[]> after = regularFiles();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));
        if (Files.exists(tmp.resolve("precious.txt"))) {
            assertEquals("keep me", Files.readString(tmp.resolve("precious.txt")));
        }
    }

    interface Edit {
        String apply(String text);
    }

    void editManifest(Edit edit) throws IOException {
        Path file = dir.resolve(Manifest.FILE);
        String text = Files.readString(file);
        String edited = edit.apply(text);
        assertTrue(!edited.equals(text), "the edit applies to the manifest");
        Files.writeString(file, edited);
    }

    void truncate(String name, int bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), bytes));
    }

    void copy(Path from, String source, String target) throws IOException {
        Files.copy(from.resolve(source), dir.resolve(target), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Flips one bit of the data section, {@code offset} bytes in (negative: from its end). */
    void flipDataBit(int offset) throws IOException {
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        long header =
                ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int at = offset >= 0 ? (int) (8 + header + offset) : bytes.length + offset;
        bytes[at] ^= 0x10;
        Files.write(file, bytes);
    }

    /** Changes the character after {@code marker} in the header (to another letter, so the JSON stays valid). */
    void flipHeaderByteAfter(String marker) throws IOException {
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf(marker);
        assertTrue(at > 0, "marker in the header");
        bytes[at + marker.length()] ^= 0x01;
        Files.write(file, bytes);
    }

    void duplicateHeaderKey() throws IOException {
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        int header = (int)
                ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String json = new String(bytes, 8, header, StandardCharsets.UTF_8);
        // The header is padded with spaces; rename the tensor "epoch" to "step", keeping the length.
        String edited = json.replace("\"epoch\":", "\"step\": ");
        assertTrue(!edited.equals(json));
        byte[] e = edited.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(e, 0, bytes, 8, e.length);
        Files.write(file, bytes);
    }

    static void stripChecksums(BundleHostileInputTest t) throws IOException {
        Path file = t.dir.resolve(Checkpoint.FILE);
        TensorFile tf = Safetensors.read(file);
        Map<String, String> metadata = new LinkedHashMap<>(tf.metadata());
        metadata.keySet().removeIf(k -> k.startsWith("crc32c."));
        Safetensors.write(file, tf.tensors(), metadata);
    }

    private Map<String, byte[]> regularFiles() throws IOException {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }
}
