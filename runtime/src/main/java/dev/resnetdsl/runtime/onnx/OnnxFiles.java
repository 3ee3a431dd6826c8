package dev.resnetdsl.runtime.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.io.Printable;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes ONNX model files, including ONNX's external-data convention: a tensor whose
 * {@code data_location} is {@code EXTERNAL} keeps its bytes in a side file named by the {@code location} entry
 * (relative to the model's directory), at {@code offset} for {@code length} bytes.
 */
public final class OnnxFiles {
    /**
     * Above this many bytes of tensor data a model is written with external data: protobuf cannot serialise a
     * message of 2 GiB or more; the margin leaves room for the graph itself.
     */
    public static final long AUTO_EXTERNAL_TOTAL = (1L << 31) - (64L << 20);

    /** Tensor size from which tensors go to the side file when external data is chosen automatically. */
    public static final long AUTO_EXTERNAL_MIN_TENSOR = 1024;

    private OnnxFiles() {}

    /**
     * Writes {@code model} atomically to {@code file}. With {@code externalThreshold} ≥ 0, every initializer of
     * at least that many bytes goes to {@code <file name>.data} next to it; with −1 that happens only when the
     * tensors would not fit in one protobuf message (then for tensors of {@value #AUTO_EXTERNAL_MIN_TENSOR} bytes
     * or more). The data file is written (atomically) before the model that refers to it.
     */
    public static void write(ModelProto model, Path file, long externalThreshold) throws IOException {
        long threshold = externalThreshold;
        if (threshold < 0) {
            threshold = tensorBytes(model.getGraph()) > AUTO_EXTERNAL_TOTAL ? AUTO_EXTERNAL_MIN_TENSOR : -1;
        }
        if (threshold < 0) {
            AtomicFiles.write(file, out -> model.writeTo(out));
            return;
        }
        String location = file.getFileName() + ".data";
        Path dataFile = file.toAbsolutePath().resolveSibling(location);
        List<TensorProto> moved = new ArrayList<>();
        GraphProto.Builder graph = model.getGraph().toBuilder();
        long offset = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            if (t.hasRawData() && t.getRawData().size() >= threshold) {
                long length = t.getRawData().size();
                moved.add(t);
                graph.setInitializer(
                        i,
                        t.toBuilder()
                                .clearRawData()
                                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                                .addExternalData(entry("location", location))
                                .addExternalData(entry("offset", Long.toString(offset)))
                                .addExternalData(entry("length", Long.toString(length))));
                offset += length;
                // ONNX's writer aligns each tensor; 64 bytes suits memory mapping and SIMD loads.
                offset = (offset + 63) / 64 * 64;
            }
        }
        AtomicFiles.write(dataFile, raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 20);
            long written = 0;
            for (TensorProto t : moved) {
                t.getRawData().writeTo(out);
                written += t.getRawData().size();
                long aligned = (written + 63) / 64 * 64;
                out.write(new byte[(int) (aligned - written)]);
                written = aligned;
            }
            out.flush();
        });
        ModelProto external = model.toBuilder().setGraph(graph).build();
        AtomicFiles.write(file, out -> external.writeTo(out));
    }

    /**
     * Reads a model; tensors kept in external data files are read back into {@code raw_data}, so the result is
     * self-contained. Corrupt, truncated or non-ONNX files give an {@link IOException} naming the file.
     */
    public static ModelProto read(Path file) throws IOException {
        ModelProto model;
        requireRegularFile(file, file);
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(coded);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(file + ": not a valid ONNX model (" + e.getMessage() + ")");
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getOpsetImportCount() == 0) {
            throw new IOException(file + ": not a valid ONNX model (no graph, nodes or opset)");
        }
        GraphProto graph = model.getGraph();
        boolean anyExternal = graph.getInitializerList().stream()
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
        if (!anyExternal) {
            return model;
        }
        GraphProto.Builder g = graph.toBuilder();
        // Containment is decided on real paths: a symbolic link inside the folder may not lead out of it.
        Path dir = file.toAbsolutePath().getParent().toRealPath();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                g.setInitializer(i, inline(file, dir, t));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static TensorProto inline(Path file, Path dir, TensorProto t) throws IOException {
        String location = null;
        long offset = 0;
        long length = -1;
        try {
            for (StringStringEntryProto e : t.getExternalDataList()) {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> {
                        // checksum and others: not needed to read
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException(file + ": tensor '" + t.getName() + "' has a malformed external_data entry");
        }
        if (location == null) {
            throw new IOException(file + ": tensor '" + t.getName() + "' is external but names no location");
        }
        Path data = containedDataFile(file, dir, t.getName(), location);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (length < 0) {
                length = size - offset;
            }
            if (offset < 0 || length > Integer.MAX_VALUE - 8 || offset + length > size) {
                throw new IOException(file + ": tensor '" + t.getName() + "' claims bytes " + offset + ".."
                        + (offset + length) + " of " + data.getFileName() + ", which has " + size + " (truncated?)");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) length);
            while (buffer.hasRemaining()) {
                if (ch.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException(data + ": unexpected end of file");
                }
            }
            buffer.flip();
            return t.toBuilder()
                    .clearExternalData()
                    .clearDataLocation()
                    .setRawData(ByteString.copyFrom(buffer))
                    .build();
        }
    }

    /**
     * The real path of a tensor's external data file, which must be a regular file inside the model's folder
     * {@code dir} (itself a real path) once every symbolic link is followed: ONNX's {@code location} is
     * relative to the model, and a model is untrusted input that may not read {@code /etc/passwd} through a
     * link or a {@code ..}, nor hang the reader on a FIFO.
     */
    private static Path containedDataFile(Path file, Path dir, String tensor, String location) throws IOException {
        String what = file + ": tensor '" + Printable.name(tensor) + "'";
        Path relative;
        try {
            relative = dir.getFileSystem().getPath(location);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IOException(what + " has an external data location that is not a file name");
        }
        if (location.isEmpty() || relative.isAbsolute()) {
            throw new IOException(what + " has an external data location that is not relative to the model");
        }
        Path lexical = dir.resolve(relative).normalize();
        if (!lexical.startsWith(dir)) {
            throw new IOException(what + " points outside the model's directory");
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": external data file " + lexical + " is missing");
        }
        if (!real.startsWith(dir)) {
            throw new IOException(what + " points outside the model's directory (through a symbolic link)");
        }
        requireRegularFile(file, real);
        return real;
    }

    /** Refuses directories, FIFOs (which would block the reader forever), devices and sockets. */
    private static void requireRegularFile(Path model, Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            String prefix = file.equals(model) ? file.toString() : model + ": external data file " + file;
            throw new IOException(prefix + " is not a regular file");
        }
    }

    private static long tensorBytes(GraphProto graph) {
        long total = 0;
        for (TensorProto t : graph.getInitializerList()) {
            total += t.getRawData().size() + 4L * t.getFloatDataCount() + 8L * t.getInt64DataCount();
        }
        return total;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
