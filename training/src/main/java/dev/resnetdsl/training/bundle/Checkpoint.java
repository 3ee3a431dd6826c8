package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.training.graph.FlatLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code checkpoint.safetensors}: parameters and BN running statistics under torchvision names,
 * momentum buffers as {@code momentum.<name>}, {@code step} and {@code epoch} as I64 scalars, and in
 * the metadata the network hash plus the trainer's own state (data order, RNG) as {@code extra.<key>}.
 * Written atomically; read with full validation against the manifest.
 */
final class Checkpoint {
    static final String FILE = "checkpoint.safetensors";
    static final String MOMENTUM_PREFIX = "momentum.";
    static final String EXTRA_PREFIX = "extra.";
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
        Safetensors.write(file, tensors, metadata);
    }

    static State read(Path file, Manifest manifest) throws IOException {
        TensorFile tf;
        try {
            tf = Safetensors.read(file);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
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
