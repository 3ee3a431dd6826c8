package dev.resnetdsl.spark;

import dev.resnetdsl.runtime.net.NetworkMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of shipping a model: the file read once (from any Hadoop file system: local, HDFS, S3, …),
 * hashed, and broadcast once per application, however many times a transformer runs on it. A changed file (length or
 * modification time) is read and broadcast again.
 */
final class ModelBroadcasts {
    /**
     * Largest model shipped, in bytes: ONNX Runtime opens a model from one Java array, and a model this large needs
     * external data files, which a byte array cannot carry.
     */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /** A broadcast model and the SHA-256 of its bytes (the executors' cache key). */
    record Shipped(Broadcast<byte[]> bytes, String sha256, long length) {}

    private record Key(String application, String path, long length, long modified) {}

    private static final ConcurrentHashMap<Key, Shipped> SHIPPED = new ConcurrentHashMap<>();

    private ModelBroadcasts() {}

    /** The broadcast of the model at {@code path}, made on the first call for this file in this application. */
    static Shipped of(SparkContext sc, String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("no model: set the transformer's modelPath to an ONNX file");
        }
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            FileStatus status;
            try {
                status = fs.getFileStatus(p);
            } catch (java.io.FileNotFoundException e) {
                throw new IOException(path + ": no such model file", e);
            }
            if (!status.isFile()) {
                throw new IOException(path + ": not a file");
            }
            if (status.getLen() > MAX_BYTES) {
                throw new IOException(path + ": the model has " + status.getLen()
                        + " bytes; models over 2 GB keep their weights in external data files, which cannot be"
                        + " shipped as one array");
            }
            SHIPPED.keySet().removeIf(k -> !k.application().equals(sc.applicationId()));
            Key key = new Key(
                    sc.applicationId(), status.getPath().toString(), status.getLen(), status.getModificationTime());
            return SHIPPED.computeIfAbsent(key, k -> read(sc, fs, p, (int) status.getLen()));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static Shipped read(SparkContext sc, FileSystem fs, Path p, int length) {
        byte[] bytes = new byte[length];
        try (InputStream in = fs.open(p)) {
            int n = in.readNBytes(bytes, 0, length);
            if (n != length || in.read() != -1) {
                throw new IOException(p + ": the file changed while it was read");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        Broadcast<byte[]> b = JavaSparkContext.fromSparkContext(sc).broadcast(bytes);
        return new Shipped(b, NetworkMetadata.sha256(bytes), length);
    }
}
