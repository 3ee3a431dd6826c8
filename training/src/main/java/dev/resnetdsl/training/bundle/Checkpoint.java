package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.io.Printable;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.training.graph.FlatLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * {@code checkpoint.safetensors}: parameters and BN running statistics under torchvision names,
 * momentum buffers as {@code momentum.<name>}, {@code step} and {@code epoch} as I64 scalars, and in
 * the metadata the network hash plus the trainer's own state (data order, RNG) as {@code extra.<key>}.
 * Written atomically; read with full validation against the manifest.
 *
 * <p>Integrity: the metadata holds a CRC-32C of every tensor's bytes ({@code crc32c.<name>}) and one of the
 * other metadata entries ({@code crc32c.__metadata__}); reading verifies each, so a bit flipped on disk or in
 * transit — in a weight or in the trainer's state — is an error naming what is damaged, never a silently
 * different model. CRC-32C is hardware-accelerated in the JDK (several GB/s), so it costs little next to writing
 * the file; it detects accidents, not tampering (whoever can edit the file can recompute it).
 */
final class Checkpoint {
    static final String FILE = "checkpoint.safetensors";
    static final String MOMENTUM_PREFIX = "momentum.";
    static final String EXTRA_PREFIX = "extra.";
    static final String CHECKSUM_PREFIX = "crc32c.";
    static final String METADATA_CHECKSUM = CHECKSUM_PREFIX + "__metadata__";
    private static final String FORMAT = "resnet-dsl checkpoint";

    /** Flat vectors in manifest layout plus counters. */
    record State(
            float[] params,
            float[] momentum,
            float[] stats,
            float[] frozen,
            long step,
            int epoch,
            Map<String, String> extra) {}

    private Checkpoint() {}

    static void write(Path file, Manifest manifest, State state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (FlatLayout.Entry e : manifest.parameters()) {
            tensors.put(e.name(), slice(state.params(), e));
        }
        for (FlatLayout.Entry e : manifest.statistics()) {
            tensors.put(e.name(), slice(state.stats(), e));
        }
        for (FlatLayout.Entry e : manifest.frozen()) {
            tensors.put(e.name(), slice(state.frozen(), e));
        }
        for (FlatLayout.Entry e : manifest.parameters()) {
            tensors.put(MOMENTUM_PREFIX + e.name(), slice(state.momentum(), e));
        }
        tensors.put("step", Tensor.ofLongs(new int[0], new long[] {state.step()}));
        tensors.put("epoch", Tensor.ofLongs(new int[0], new long[] {state.epoch()}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("network_hash", manifest.networkHash());
        metadata.put("model", manifest.model());
        for (Map.Entry<String, String> x : state.extra().entrySet()) {
            metadata.put(EXTRA_PREFIX + x.getKey(), x.getValue());
        }
        metadata.put(METADATA_CHECKSUM, metadataChecksum(metadata));
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            metadata.put(CHECKSUM_PREFIX + t.getKey(), crc32c(t.getValue()));
        }
        Safetensors.write(file, tensors, metadata);
    }

    static State read(Path file, Manifest manifest) throws IOException {
        TensorFile tf;
        try {
            tf = Safetensors.read(file);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
        verifyChecksums(file, tf);
        String hash = tf.metadata().get("network_hash");
        if (!manifest.networkHash().equals(hash)) {
            throw new IOException(file + ": checkpoint belongs to another network (hash "
                    + (hash == null ? "missing" : abbreviate(hash)) + ", bundle expects "
                    + abbreviate(manifest.networkHash()) + ")");
        }
        FlatLayout paramLayout = manifest.parameterLayout();
        FlatLayout statLayout = manifest.statisticsLayout();
        float[] params = new float[paramLayout.size()];
        float[] momentum = new float[paramLayout.size()];
        float[] stats = new float[statLayout.size()];
        FlatLayout frozenLayout = manifest.frozenLayout();
        float[] frozen = new float[frozenLayout.size()];
        for (FlatLayout.Entry e : frozenLayout.entries()) {
            copy(file, tf, e.name(), e, frozen);
        }
        for (FlatLayout.Entry e : paramLayout.entries()) {
            copy(file, tf, e.name(), e, params);
            copy(file, tf, MOMENTUM_PREFIX + e.name(), e, momentum);
        }
        for (FlatLayout.Entry e : statLayout.entries()) {
            copy(file, tf, e.name(), e, stats);
        }
        long step = scalarLong(file, tf, "step");
        long epoch = scalarLong(file, tf, "epoch");
        if (step < 0 || epoch < 0 || epoch > Integer.MAX_VALUE) {
            throw new IOException(file + ": step " + step + " / epoch " + epoch + " out of range");
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : tf.metadata().entrySet()) {
            if (m.getKey().startsWith(EXTRA_PREFIX)) {
                extra.put(m.getKey().substring(EXTRA_PREFIX.length()), m.getValue());
            }
        }
        return new State(params, momentum, stats, frozen, step, (int) epoch, Collections.unmodifiableMap(extra));
    }

    /** Every tensor and the metadata must carry a checksum, and every checksum must match. */
    private static void verifyChecksums(Path file, TensorFile tf) throws IOException {
        Map<String, String> metadata = tf.metadata();
        String metadataSum = metadata.get(METADATA_CHECKSUM);
        if (metadataSum == null) {
            throw new IOException(file + ": checkpoint has no checksums (damaged, or not written by these tools)");
        }
        if (!metadataSum.equals(metadataChecksum(metadata))) {
            throw new IOException(
                    file + ": checkpoint is damaged: its metadata (training state) does not match its" + " checksum");
        }
        for (Map.Entry<String, Tensor> t : tf.tensors().entrySet()) {
            String expected = metadata.get(CHECKSUM_PREFIX + t.getKey());
            if (expected == null) {
                throw new IOException(
                        file + ": checkpoint is damaged: tensor " + Printable.name(t.getKey()) + " has no checksum");
            }
            if (!expected.equals(crc32c(t.getValue()))) {
                throw new IOException(file + ": checkpoint is damaged: the bytes of tensor "
                        + Printable.name(t.getKey()) + " do not match its checksum");
            }
        }
    }

    /** CRC-32C of the metadata entries other than checksums, as sorted "key=value\n" lines. */
    private static String metadataChecksum(Map<String, String> metadata) {
        CRC32C crc = new CRC32C();
        new TreeMap<>(metadata).forEach((k, v) -> {
            if (!k.startsWith(CHECKSUM_PREFIX)) {
                crc.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        return hex(crc.getValue());
    }

    /** CRC-32C of a tensor's bytes as safetensors stores them (little-endian). */
    static String crc32c(Tensor t) {
        CRC32C crc = new CRC32C();
        int chunk = 1 << 14;
        ByteBuffer buffer = ByteBuffer.allocate(chunk * 8).order(ByteOrder.LITTLE_ENDIAN);
        int n = t.elements();
        for (int start = 0; start < n; start += chunk) {
            int len = Math.min(chunk, n - start);
            buffer.clear();
            if (t.dtype() == DType.F32) {
                buffer.asFloatBuffer().put(t.floats(), start, len);
                buffer.limit(len * 4);
            } else {
                buffer.asLongBuffer().put(t.longs(), start, len);
                buffer.limit(len * 8);
            }
            crc.update(buffer);
        }
        return hex(crc.getValue());
    }

    private static String hex(long crc) {
        return String.format("%08x", crc);
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }

    private static Tensor slice(float[] flat, FlatLayout.Entry e) {
        float[] part = Arrays.copyOfRange(flat, (int) e.offset(), (int) (e.offset() + e.length()));
        return Tensor.ofFloats(e.shape(), part);
    }

    private static void copy(Path file, TensorFile tf, String name, FlatLayout.Entry e, float[] into)
            throws IOException {
        Tensor t = tf.tensors().get(name);
        if (t == null) {
            throw new IOException(file + ": checkpoint lacks tensor " + name);
        }
        if (t.dtype() != DType.F32 || !t.hasShape(e.shape())) {
            throw new IOException(
                    file + ": tensor " + name + " is " + t.describe() + ", expected F32" + Arrays.toString(e.shape()));
        }
        float[] data = t.floats();
        System.arraycopy(data, 0, into, (int) e.offset(), data.length);
    }

    private static long scalarLong(Path file, TensorFile tf, String name) throws IOException {
        Tensor t = tf.tensors().get(name);
        if (t == null || t.dtype() != DType.I64 || t.elements() != 1) {
            throw new IOException(file + ": checkpoint lacks the I64 scalar " + name);
        }
        return t.longs()[0];
    }
}
