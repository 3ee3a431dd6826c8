package dev.resnetdsl.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.testing.Posix;
import dev.resnetdsl.runtime.testing.TinyNets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX model files are untrusted input (docs/security.md). Each row makes a hostile variant of a model whose
 * tensors live in an external data file and says how reading it must fail: with an {@link IOException} naming
 * the problem, within seconds, and without reading a byte outside the model's folder.
 */
class OnnxFilesHostileInputTest {
    @TempDir
    Path tmp;

    Path modelDir;
    Path model;
    Path data;

    @BeforeEach
    void writeAModelWithExternalData() throws IOException {
        Network net = TinyNets.tiny();
        modelDir = Files.createDirectory(tmp.resolve("model"));
        model = modelDir.resolve("tiny.onnx");
        OnnxFiles.write(OnnxExporter.export(TinyNets.randomWeights(net, 1), ExportOptions.defaults()), model, 0);
        data = modelDir.resolve("tiny.onnx.data");
        assertTrue(Files.size(data) > 1000, "the weights went to the data file");
        // What an attacker wants to read: a file outside the model's folder, as large as the data file.
        Files.write(tmp.resolve("secret.bin"), new byte[(int) Files.size(data)]);
    }

    /** Changes the model folder so that reading the model must fail. */
    @FunctionalInterface
    interface Attack {
        void apply(OnnxFilesHostileInputTest t) throws Exception;
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of(
                        "data file is a symbolic link to a file outside the folder",
                        (Attack) t -> {
                            Files.delete(t.data);
                            Files.createSymbolicLink(t.data, t.tmp.resolve("secret.bin"));
                        },
                        "points outside the model's directory (through a symbolic link)"),
                Arguments.of(
                        "location climbs out with ..",
                        (Attack) t -> t.relocate("../secret.bin"),
                        "points outside the model's directory"),
                Arguments.of(
                        "location is absolute",
                        (Attack) t -> t.relocate(t.tmp.resolve("secret.bin").toString()),
                        "not relative to the model"),
                Arguments.of(
                        "a folder inside is a symbolic link to the outside",
                        (Attack) t -> {
                            Files.createSymbolicLink(t.modelDir.resolve("inner"), t.tmp);
                            t.relocate("inner/secret.bin");
                        },
                        "through a symbolic link"),
                Arguments.of(
                        "data file is a FIFO (reading it would block forever)",
                        (Attack) t -> {
                            Files.delete(t.data);
                            Posix.fifo(t.data);
                        },
                        "is not a regular file"),
                Arguments.of(
                        "data file is a directory",
                        (Attack) t -> {
                            Files.delete(t.data);
                            Files.createDirectory(t.data);
                        },
                        "is not a regular file"),
                Arguments.of(
                        "the model itself is a FIFO",
                        (Attack) t -> {
                            Files.delete(t.model);
                            Posix.fifo(t.model);
                        },
                        "is not a regular file"),
                Arguments.of("data file is missing", (Attack) t -> Files.delete(t.data), "is missing"),
                Arguments.of(
                        "data file is truncated",
                        (Attack) t -> Files.write(t.data, Arrays.copyOf(Files.readAllBytes(t.data), 100)),
                        "(truncated?)"),
                Arguments.of(
                        "the model is not protobuf",
                        (Attack) t -> Files.writeString(t.model, "not a model"),
                        "not a valid ONNX model"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void aHostileModelIsAClearErrorAndReadsNothingOutside(String name, Attack attack, String message) throws Exception {
        attack.apply(this);
        IOException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> assertThrows(IOException.class, () -> OnnxFiles.read(model)));
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aSymbolicLinkThatStaysInsideTheFolderIsFine() throws IOException {
        Path moved = modelDir.resolve("weights.bin");
        Files.move(data, moved);
        Files.createSymbolicLink(data, moved.getFileName());
        ModelProto read = OnnxFiles.read(model);
        assertTrue(read.getGraph().getInitializerList().stream().allMatch(TensorProto::hasRawData));
    }

    /** Points every external tensor at {@code location}, keeping offsets and lengths. */
    void relocate(String location) throws IOException {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto.Builder t = g.getInitializer(i).toBuilder();
            for (int k = 0; k < t.getExternalDataCount(); k++) {
                if (t.getExternalData(k).getKey().equals("location")) {
                    t.setExternalData(
                            k,
                            StringStringEntryProto.newBuilder()
                                    .setKey("location")
                                    .setValue(location));
                }
            }
            g.setInitializer(i, t);
        }
        Files.write(model, m.toBuilder().setGraph(g).build().toByteArray());
    }
}
