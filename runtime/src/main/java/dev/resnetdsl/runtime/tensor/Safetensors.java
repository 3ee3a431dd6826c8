package dev.resnetdsl.runtime.tensor;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.io.Printable;
import dev.resnetdsl.runtime.io.StrictJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the raw little-endian data. Every malformed file is
 * reported as an {@link IOException} that names the file and what is wrong; nothing is trusted before it
 * is checked against the file size.
 */
public final class Safetensors {
    /** Largest header accepted (the format's reference implementation uses 100 MB). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private Safetensors() {}

    /** Reads every tensor of a file (F32 and I64 are supported). */
    public static TensorFile read(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A FIFO would block the reader forever; a directory or device is no tensor file either.
            throw corrupt(file, "it is not a regular file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long headerLength = headerLength(file, channel);
            JsonObject header = header(file, channel, headerLength);
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    readMetadata(file, e.getValue(), metadata);
                } else {
                    entries.add(parseEntry(file, e.getKey(), e.getValue(), dataSize));
                }
            }
            entries.sort(Comparator.comparingLong(Entry::begin));
            long previousEnd = 0;
            for (Entry entry : entries) {
                if (entry.begin() < previousEnd) {
                    throw corrupt(
                            file, "tensor '" + Printable.name(entry.name()) + "' overlaps the previous tensor's bytes");
                }
                previousEnd = entry.end();
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry entry : entries) {
                long bytes = entry.end() - entry.begin();
                if (bytes > Integer.MAX_VALUE - 8) {
                    throw corrupt(
                            file,
                            "tensor '" + Printable.name(entry.name())
                                    + "' is over 2 GB, which this reader does not support");
                }
                ByteBuffer data = readFully(channel, dataStart + entry.begin(), (int) bytes)
                        .order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(entry.name(), decode(entry, data));
            }
            return new TensorFile(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    /**
     * Only the {@code __metadata__} of a file, read from its header without reading a tensor (a checkpoint's
     * trainer state, say, before deciding how to train).
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw corrupt(file, "it is not a regular file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            JsonObject parsed = header(file, channel, headerLength(file, channel));
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonElement value = parsed.get("__metadata__");
            if (value != null) {
                readMetadata(file, value, metadata);
            }
            return metadata;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    /** The header's length from the first 8 bytes, checked against the file's size before anything is read. */
    private static long headerLength(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw corrupt(file, "file is " + size + " bytes, shorter than the 8-byte header length");
        }
        long headerLength =
                readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
            throw corrupt(file, "header length " + headerLength + " does not fit a file of " + size + " bytes");
        }
        return headerLength;
    }

    /** The JSON header, parsed strictly: a duplicated tensor name would otherwise silently take the last entry. */
    private static JsonObject header(Path file, FileChannel channel, long headerLength) throws IOException {
        String json = StandardCharsets.UTF_8
                .decode(readFully(channel, 8, (int) headerLength))
                .toString();
        JsonElement parsed;
        try {
            parsed = StrictJson.parse(json);
        } catch (JsonParseException e) {
            throw corrupt(file, "header is not valid JSON (" + e.getMessage() + ")");
        }
        if (!parsed.isJsonObject()) {
            throw corrupt(file, "header is not a JSON object");
        }
        return parsed.getAsJsonObject();
    }

    /** Atomically writes tensors (in map order) and metadata to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = (long) t.elements() * t.dtype().bytes();
            JsonObject info = new JsonObject();
            info.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            for (int d : t.shape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            info.add("data_offsets", offsets);
            header.add(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces to a multiple of 8 so the data is aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 20);
            ByteBuffer length =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(headerBytes);
            for (Tensor t : tensors.values()) {
                writeData(out, t);
            }
            out.flush();
        });
    }

    /** Writes tensors without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    private static void writeData(OutputStream out, Tensor t) throws IOException {
        int chunkElements = 1 << 16;
        ByteBuffer buffer =
                ByteBuffer.allocate(chunkElements * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int n = t.elements();
        for (int start = 0; start < n; start += chunkElements) {
            int end = Math.min(n, start + chunkElements);
            buffer.clear();
            if (t.dtype() == DType.F32) {
                buffer.asFloatBuffer().put(t.floats(), start, end - start);
                buffer.position((end - start) * 4);
            } else {
                buffer.asLongBuffer().put(t.longs(), start, end - start);
                buffer.position((end - start) * 8);
            }
            out.write(buffer.array(), 0, buffer.position());
        }
    }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    private static Entry parseEntry(Path file, String name, JsonElement value, long dataSize) throws IOException {
        if (!value.isJsonObject()) {
            throw corrupt(file, "entry '" + Printable.name(name) + "' is not an object");
        }
        JsonObject o = value.getAsJsonObject();
        String dtypeName = stringField(file, name, o, "dtype");
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw corrupt(
                    file,
                    "tensor '" + Printable.name(name) + "' has dtype " + Printable.name(dtypeName)
                            + "; only F32 and I64 are supported");
        }
        JsonArray shapeJson = arrayField(file, name, o, "shape");
        int[] shape = new int[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = longAt(file, name, shapeJson, i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw corrupt(file, "tensor '" + Printable.name(name) + "' has dimension " + d);
            }
            shape[i] = (int) d;
        }
        JsonArray offsets = arrayField(file, name, o, "data_offsets");
        if (offsets.size() != 2) {
            throw corrupt(file, "tensor '" + Printable.name(name) + "' needs two data_offsets");
        }
        long begin = longAt(file, name, offsets, 0);
        long end = longAt(file, name, offsets, 1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw corrupt(
                    file,
                    "tensor '" + Printable.name(name) + "' claims bytes " + begin + ".." + end
                            + " but the data section has " + dataSize + " bytes (truncated file?)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(Tensor.elementCount(shape), dtype.bytes());
        } catch (ArithmeticException e) {
            throw corrupt(
                    file, "tensor '" + Printable.name(name) + "' shape " + Arrays.toString(shape) + " is too large");
        }
        if (end - begin != expected) {
            throw corrupt(
                    file,
                    "tensor '" + Printable.name(name) + "' " + dtype + Arrays.toString(shape) + " needs " + expected
                            + " bytes, the header gives " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Tensor decode(Entry entry, ByteBuffer data) {
        int n = (int) Tensor.elementCount(entry.shape());
        if (entry.dtype() == DType.F32) {
            float[] values = new float[n];
            data.asFloatBuffer().get(values);
            return Tensor.ofFloats(entry.shape(), values);
        }
        long[] values = new long[n];
        data.asLongBuffer().get(values);
        return Tensor.ofLongs(entry.shape(), values);
    }

    private static void readMetadata(Path file, JsonElement value, Map<String, String> into) throws IOException {
        if (!value.isJsonObject()) {
            throw corrupt(file, "__metadata__ is not an object");
        }
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw corrupt(file, "__metadata__ value '" + Printable.name(e.getKey()) + "' is not a string");
            }
            into.put(e.getKey(), e.getValue().getAsString());
        }
    }

    private static String stringField(Path file, String name, JsonObject o, String field) throws IOException {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            throw corrupt(file, "tensor '" + Printable.name(name) + "' lacks '" + field + "'");
        }
        return e.getAsString();
    }

    private static JsonArray arrayField(Path file, String name, JsonObject o, String field) throws IOException {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonArray()) {
            throw corrupt(file, "tensor '" + Printable.name(name) + "' lacks '" + field + "'");
        }
        return e.getAsJsonArray();
    }

    private static long longAt(Path file, String name, JsonArray array, int i) throws IOException {
        try {
            return array.get(i).getAsLong();
        } catch (RuntimeException e) {
            throw corrupt(file, "tensor '" + Printable.name(name) + "' has a non-integer in its shape or offsets");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        buffer.flip();
        return buffer;
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException(file + ": not a valid safetensors file: " + what);
    }
}
