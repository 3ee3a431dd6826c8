package dev.resnetdsl.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.testing.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsFloatsLongsScalarsAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.ofFloats(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, 7}));
        tensors.put("labels", Tensor.ofLongs(new int[] {3}, new long[] {0, 9, Long.MAX_VALUE}));
        tensors.put("loss", Tensor.scalar(2.25f));
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, tensors, Map.of("spec", "ResNet20"));

        TensorFile back = Safetensors.read(file);
        assertEquals(tensors.keySet(), back.tensors().keySet());
        assertArrayEquals(tensors.get("w").floats(), back.require("w").floats());
        assertArrayEquals(new int[] {2, 3}, back.require("w").shape());
        assertArrayEquals(tensors.get("labels").longs(), back.require("labels").longs());
        assertEquals(0, back.require("loss").rank());
        assertEquals(2.25f, back.require("loss").floats()[0]);
        assertEquals("ResNet20", back.metadata().get("spec"));
        assertEquals(0, (Files.size(file) - 8 - dataBytes(back)) % 8, "header padded to 8 bytes");
    }

    @Test
    void truncatedFileIsAClearError() throws IOException {
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.zeros(100)));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains("tensor 'w' claims bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void garbageIsAClearError() throws IOException {
        Path file = dir.resolve("g.safetensors");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());

        Files.write(file, new byte[] {3});
        e = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains("shorter than"), e.getMessage());
    }

    @Test
    void inconsistentShapeAndOffsetsIsAClearError() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        Path file = dir.resolve("s.safetensors");
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putLong(0);
        Files.write(file, b.array());
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains("needs 12 bytes, the header gives 8"), e.getMessage());
    }

    @Test
    void missingFileNamesThePath() {
        Path file = dir.resolve("absent.safetensors");
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains("absent.safetensors"), e.getMessage());
    }

    private static long dataBytes(TensorFile f) {
        return f.tensors().values().stream()
                .mapToLong(t -> (long) t.elements() * t.dtype().bytes())
                .sum();
    }

    /** Hostile headers: each must be refused with a one-line error naming what is wrong. */
    static Stream<Arguments> hostileHeaders() {
        String w = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        String v = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}";
        return Stream.of(
                Arguments.of("{\"w\":" + w + ",\"w\":" + v + "}", "duplicate key \"w\""),
                Arguments.of(
                        "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                        "duplicate key \"dtype\""),
                Arguments.of(
                        "{\"__metadata__\":{\"step\":\"1\",\"step\":\"9\"},\"w\":" + w + "}", "duplicate key \"step\""),
                Arguments.of("{\"w\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "nested deeper"),
                Arguments.of(
                        "{\"w\\n\\u001b[31m\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
                        "tensor 'w??[31m' has dtype F16"));
    }

    @ParameterizedTest
    @MethodSource("hostileHeaders")
    void hostileHeadersAreOneLineErrors(String header, String message) throws IOException {
        Path file = dir.resolve("h.safetensors");
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(file, b.array());
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aFifoIsRefusedInsteadOfBlockingTheReader() throws Exception {
        Path fifo = Posix.fifo(dir.resolve("batch.safetensors"));
        IOException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> assertThrows(IOException.class, () -> Safetensors.read(fifo)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
}
