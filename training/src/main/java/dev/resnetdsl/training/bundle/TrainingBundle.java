package dev.resnetdsl.training.bundle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.runtime.Versions;
import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkJson;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.SessionSettings;
import dev.resnetdsl.runtime.ort.Sessions;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.graph.FlatLayout;
import dev.resnetdsl.training.graph.Freezing;
import dev.resnetdsl.training.graph.TrainingGraphs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A training bundle: the directory with {@code train_step.onnx}, {@code eval.onnx},
 * {@code checkpoint.safetensors} and {@code manifest.json} ({@link #write}), and, once opened, the model
 * being trained in memory ({@link #open}).
 *
 * <p>Parameters, momentum buffers and BN running statistics live in three flat direct buffers, twice:
 * a step reads one set and ONNX Runtime writes the updated values straight into the other set (pinned
 * outputs), then the sets swap. A step therefore copies only the batch in and two scalars out. Not
 * thread-safe.
 */
public final class TrainingBundle implements AutoCloseable {
    public static final String TRAIN_STEP_FILE = "train_step.onnx";
    public static final String EVAL_FILE = "eval.onnx";
    public static final String CHECKPOINT_FILE = Checkpoint.FILE;

    /**
     * The trainer's state saved in the checkpoint of the bundle in {@code dir} ({@code extra.*} metadata, without
     * the prefix), read from the checkpoint's header alone; empty when there is no checkpoint.
     */
    public static Map<String, String> savedExtraState(Path dir) throws IOException {
        Path file = dir.resolve(CHECKPOINT_FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> m : Safetensors.readMetadata(file).entrySet()) {
            if (m.getKey().startsWith(Checkpoint.EXTRA_PREFIX)) {
                extra.put(m.getKey().substring(Checkpoint.EXTRA_PREFIX.length()), m.getValue());
            }
        }
        return extra;
    }

    private final Path dir;
    private final BundleLock lock;
    private Manifest manifest;
    private final FlatLayout paramLayout;
    private final FlatLayout statLayout;
    private final FlatLayout frozenLayout;
    private final OrtEnvironment env;
    private final OrtSession trainSession;
    private final OrtSession evalSession;
    private final FloatBuffer[] params = new FloatBuffer[2];
    private final FloatBuffer[] momentum = new FloatBuffer[2];
    private final FloatBuffer[] stats = new FloatBuffer[2];
    private final OnnxTensor[] paramTensors = new OnnxTensor[2];
    private final OnnxTensor[] momentumTensors = new OnnxTensor[2];
    private final OnnxTensor[] statTensors = new OnnxTensor[2];
    /** Frozen parameters and statistics: read by every step, never written, so one copy. */
    private FloatBuffer frozen;

    private OnnxTensor frozenTensor;
    private int current;
    private long step;
    private int epoch;
    private Map<String, String> extraState;

    private TrainingBundle(
            Path dir,
            BundleLock lock,
            Manifest manifest,
            OrtEnvironment env,
            OrtSession trainSession,
            OrtSession evalSession) {
        this.dir = dir;
        this.lock = lock;
        this.manifest = manifest;
        this.paramLayout = manifest.parameterLayout();
        this.statLayout = manifest.statisticsLayout();
        this.frozenLayout = manifest.frozenLayout();
        this.env = env;
        this.trainSession = trainSession;
        this.evalSession = evalSession;
    }

    /**
     * Creates a training bundle in {@code dir} (created if missing; existing bundle files are replaced):
     * the two graphs, a checkpoint at step 0 with zero momentum, and the manifest, each written
     * atomically, the manifest last, under the bundle's {@link BundleLock}.
     *
     * @throws BundleInUseException when another process is training or writing the bundle
     */
    public static void write(Path dir, Weights weights, Hyperparameters hp) throws IOException {
        write(dir, weights, BundleOptions.of(hp));
    }

    /**
     * Creates a training bundle as {@link #write(Path, Weights, Hyperparameters)} does, with some layers frozen
     * and the preprocessing decided now if {@code options} say so.
     *
     * @throws BundleInUseException when another process is training or writing the bundle
     */
    public static void write(Path dir, Weights weights, BundleOptions options) throws IOException {
        try (BundleLock ignored = BundleLock.acquire(dir)) {
            writeLocked(dir, weights, options);
        }
    }

    private static void writeLocked(Path dir, Weights weights, BundleOptions options) throws IOException {
        Network net = weights.network();
        Hyperparameters hp = options.hyperparameters();
        Freezing freezing = options.freezing();
        Map<String, Tensor> values = weights.asMap();
        String hash = net.structureHash();
        FlatLayout paramLayout = FlatLayout.trainable(net, freezing);
        FlatLayout statLayout = FlatLayout.statistics(net, freezing);
        FlatLayout frozenLayout = FlatLayout.frozen(net, freezing);
        Manifest manifest = new Manifest(
                Manifest.FORMAT,
                TrainingGraphs.VERSION,
                net.name(),
                hash,
                specHash(net),
                new int[] {
                    net.input().channels(), net.input().height(), net.input().width()
                },
                net.classes(),
                hp,
                TrainingGraphs.OPSET,
                TrainingGraphs.IR_VERSION,
                Versions.ONNX_RUNTIME,
                paramLayout.entries(),
                statLayout.entries(),
                Map.of("trainStep", TRAIN_STEP_FILE, "eval", EVAL_FILE, "checkpoint", CHECKPOINT_FILE),
                net.metadata(),
                null,
                frozenLayout.entries(),
                freezing.names(),
                NetworkJson.toJson(net));
        if (options.preprocessing() != null) {
            manifest = manifest.withPreprocessing(options.preprocessing());
        }
        byte[] trainGraph = TrainingGraphs.trainStep(
                        net, hp, freezing, GraphMetadata.of(net, manifest, GraphMetadata.Role.TRAIN_STEP))
                .toByteArray();
        byte[] evalGraph = TrainingGraphs.eval(net, freezing, GraphMetadata.of(net, manifest, GraphMetadata.Role.EVAL))
                .toByteArray();

        float[] flatParams = flatten(paramLayout, values);
        float[] flatStats = flatten(statLayout, values);
        float[] flatFrozen = flatten(frozenLayout, values);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(TRAIN_STEP_FILE), trainGraph);
        AtomicFiles.write(dir.resolve(EVAL_FILE), evalGraph);
        Checkpoint.write(
                dir.resolve(CHECKPOINT_FILE),
                manifest,
                new Checkpoint.State(flatParams, new float[flatParams.length], flatStats, flatFrozen, 0, 0, Map.of()));
        AtomicFiles.writeString(dir.resolve(Manifest.FILE), manifest.toJson());
    }

    private static float[] flatten(FlatLayout layout, Map<String, Tensor> values) {
        float[] flat = new float[layout.size()];
        for (FlatLayout.Entry e : layout.entries()) {
            float[] w = values.get(e.name()).floats();
            System.arraycopy(w, 0, flat, (int) e.offset(), w.length);
        }
        return flat;
    }

    /**
     * Creates a training bundle for {@code net} with freshly initialised weights, following the network's
     * own init policy (what a generated model class uses to write its bundle).
     */
    public static void write(Path dir, Network net, Hyperparameters hp) throws IOException {
        write(dir, Weights.initial(net), hp);
    }

    private static String specHash(Network net) {
        for (String key : List.of("resnet.spec.sha256", "spec_hash")) {
            String v = net.metadata().get(key);
            if (v != null) {
                return v;
            }
        }
        return "";
    }

    /**
     * Opens a bundle: reads and cross-checks manifest, checkpoint and graphs, and creates the ONNX Runtime
     * sessions on {@code device}.
     *
     * @throws IOException when a file is missing or corrupt, or the checkpoint or a graph belongs to
     *     another network
     * @throws dev.resnetdsl.runtime.ort.DeviceUnavailableException when CUDA is asked for and absent
     */
    public static TrainingBundle open(Path dir, Device device) throws IOException {
        return open(dir, SessionSettings.of(device));
    }

    /**
     * Opens a bundle as {@link #open(Path, Device)} does, with its sessions run as {@code settings} say (device and
     * threads per step).
     */
    public static TrainingBundle open(Path dir, SessionSettings settings) throws IOException {
        requireBundle(dir);
        BundleLock lock = BundleLock.acquire(dir);
        try {
            return load(dir, lock, settings);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens a bundle like {@link #open} but without its lock, for work that never writes it (measuring training
     * speed on an in-memory copy, say): it can run alongside a writer, and {@link #saveCheckpoint} and
     * {@link #recordPreprocessing} refuse to run.
     */
    public static TrainingBundle openReadOnly(Path dir, Device device) throws IOException {
        return openReadOnly(dir, SessionSettings.of(device));
    }

    /**
     * Opens a bundle without its lock as {@link #openReadOnly(Path, Device)} does, with its sessions run as
     * {@code settings} say: what a data-parallel worker uses, several of them on one copy of the bundle.
     */
    public static TrainingBundle openReadOnly(Path dir, SessionSettings settings) throws IOException {
        requireBundle(dir);
        return load(dir, null, settings);
    }

    private static void requireBundle(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such training bundle directory");
        }
        if (!Files.isRegularFile(dir.resolve(Manifest.FILE))) {
            throw new IOException(dir + ": not a training bundle (no " + Manifest.FILE + ")");
        }
    }

    private static TrainingBundle load(Path dir, BundleLock lock, SessionSettings settings) throws IOException {
        Manifest manifest = Manifest.read(dir.resolve(Manifest.FILE));
        Checkpoint.State state = Checkpoint.read(dir.resolve(CHECKPOINT_FILE), manifest);
        OrtEnvironment env = Sessions.environment();
        OrtSession train = null;
        OrtSession eval = null;
        try {
            train = SessionFactory.create(
                    dir.resolve(TRAIN_STEP_FILE), settings, manifest, GraphMetadata.Role.TRAIN_STEP);
            eval = SessionFactory.create(dir.resolve(EVAL_FILE), settings, manifest, GraphMetadata.Role.EVAL);
        } catch (IOException | RuntimeException e) {
            closeQuietly(train);
            closeQuietly(eval);
            throw e;
        }
        TrainingBundle bundle = new TrainingBundle(dir, lock, manifest, env, train, eval);
        try {
            bundle.loadState(state);
        } catch (IOException | RuntimeException e) {
            bundle.closeSessionsAndTensors();
            throw e;
        }
        return bundle;
    }

    private void loadState(Checkpoint.State state) throws IOException {
        try {
            for (int i = 0; i < 2; i++) {
                params[i] = direct(paramLayout.size());
                momentum[i] = direct(paramLayout.size());
                paramTensors[i] = OnnxTensor.createTensor(env, params[i], new long[] {paramLayout.size()});
                momentumTensors[i] = OnnxTensor.createTensor(env, momentum[i], new long[] {paramLayout.size()});
                if (statLayout.size() > 0) {
                    stats[i] = direct(statLayout.size());
                    statTensors[i] = OnnxTensor.createTensor(env, stats[i], new long[] {statLayout.size()});
                }
            }
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime could not allocate the training state: " + e.getMessage(), e);
        }
        if (frozenLayout.size() > 0) {
            frozen = direct(frozenLayout.size());
            frozen.put(0, state.frozen());
            try {
                frozenTensor = OnnxTensor.createTensor(env, frozen, new long[] {frozenLayout.size()});
            } catch (OrtException e) {
                throw new IOException("ONNX Runtime could not allocate the frozen weights: " + e.getMessage(), e);
            }
        }
        current = 0;
        params[0].put(0, state.params());
        momentum[0].put(0, state.momentum());
        if (statLayout.size() > 0) {
            stats[0].put(0, state.stats());
        }
        step = state.step();
        epoch = state.epoch();
        extraState = state.extra();
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /**
     * One SGD step on a batch; advances the in-memory state (not the checkpoint: see
     * {@link #saveCheckpoint}).
     *
     * @param input F32 [N, C, H, W] with the manifest's C, H, W and N ≥ 2 (BN needs two values per channel)
     * @param labels I64 [N], each in [0, classes)
     * @throws IllegalArgumentException for a batch of the wrong shape, with a non-finite pixel, or labels out of
     *     range; the state is unchanged
     * @throws DivergedStepException when the step's loss or any updated parameter, momentum or BN statistic is not
     *     finite; the state is unchanged (the step is not committed)
     */
    public StepResult step(Tensor input, Tensor labels, float learningRate) {
        return run(input, labels, learningRate, null);
    }

    /**
     * Like {@link #step(Tensor, Tensor, float)}, and also puts the gradient of every trainable parameter
     * (before weight decay) into {@code gradients} by name.
     */
    public StepResult stepWithGradients(
            Tensor input, Tensor labels, float learningRate, Map<String, Tensor> gradients) {
        return run(input, labels, learningRate, gradients);
    }

    private StepResult run(Tensor input, Tensor labels, float learningRate, Map<String, Tensor> gradients) {
        int n = checkBatch(input, labels, true);
        if (!(learningRate >= 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a finite number ≥ 0, got " + learningRate);
        }
        int next = 1 - current;
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor x = floatTensor(input);
                OnnxTensor y = OnnxTensor.createTensor(env, LongBuffer.wrap(labels.longs()), new long[] {n});
                OnnxTensor lr =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {learningRate}), new long[0])) {
            inputs.put(TrainingGraphs.INPUT, x);
            inputs.put(TrainingGraphs.LABELS, y);
            inputs.put(TrainingGraphs.LR, lr);
            inputs.put(TrainingGraphs.PARAMS, paramTensors[current]);
            inputs.put(TrainingGraphs.MOMENTUM, momentumTensors[current]);
            Map<String, OnnxValue> pinned = new HashMap<>();
            pinned.put(TrainingGraphs.PARAMS_OUT, paramTensors[next]);
            pinned.put(TrainingGraphs.MOMENTUM_OUT, momentumTensors[next]);
            if (statLayout.size() > 0) {
                inputs.put(TrainingGraphs.STATS, statTensors[current]);
                pinned.put(TrainingGraphs.STATS_OUT, statTensors[next]);
            }
            if (frozenTensor != null) {
                inputs.put(TrainingGraphs.FROZEN, frozenTensor);
            }
            Set<String> requested = gradients == null
                    ? Set.of(TrainingGraphs.LOSS, TrainingGraphs.CORRECT)
                    : Set.of(TrainingGraphs.LOSS, TrainingGraphs.CORRECT, TrainingGraphs.GRADS);
            float loss;
            long correct;
            try (OrtSession.Result result = trainSession.run(inputs, requested, pinned)) {
                loss = ((OnnxTensor) result.get(TrainingGraphs.LOSS).get())
                        .getFloatBuffer()
                        .get(0);
                correct = ((OnnxTensor) result.get(TrainingGraphs.CORRECT).get())
                        .getLongBuffer()
                        .get(0);
                if (gradients != null) {
                    FloatBuffer g =
                            ((OnnxTensor) result.get(TrainingGraphs.GRADS).get()).getFloatBuffer();
                    for (FlatLayout.Entry e : paramLayout.entries()) {
                        float[] part = new float[(int) e.length()];
                        g.get((int) e.offset(), part);
                        gradients.put(e.name(), Tensor.ofFloats(e.shape(), part));
                    }
                }
            }
            // Commit only a finite state: a NaN or an infinity would poison every later step and checkpoint.
            requireFinite(loss, next, learningRate);
            current = next;
            step++;
            return new StepResult(loss, (int) correct, n);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the training step: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses the state a step wrote into the buffers of set {@code next} unless its loss and every number in it
     * are finite. The scan reads the parameter and momentum vectors once and the BN statistics once, which is
     * small next to the step that wrote them (see docs/security.md for the measurement).
     */
    private void requireFinite(float loss, int next, float learningRate) {
        String where = null;
        int at = NonFinite.indexIn(params[next]);
        if (at >= 0) {
            where = "parameter " + paramLayout.entryAt(at).name() + " would become " + params[next].get(at);
        } else if ((at = NonFinite.indexIn(momentum[next])) >= 0) {
            where = "the momentum of " + paramLayout.entryAt(at).name() + " would become " + momentum[next].get(at);
        } else if (statLayout.size() > 0 && (at = NonFinite.indexIn(stats[next])) >= 0) {
            where = "BN statistic " + statLayout.entryAt(at).name() + " would become " + stats[next].get(at);
        }
        if (where == null && Float.isFinite(loss)) {
            return;
        }
        throw new DivergedStepException("step " + (step + 1) + " at learning rate " + learningRate
                + " gives a non-finite " + (Float.isFinite(loss) ? "state: " + where : "loss (" + loss + ")")
                + "; the step was not applied and the model is as before it");
    }

    /** Evaluates a batch with BN on running statistics; does not change any state. */
    public EvalResult evaluate(Tensor input, Tensor labels) {
        return evaluate(input, labels, null);
    }

    /** Like {@link #evaluate(Tensor, Tensor)}, and stores the logits F32 [N, classes] in {@code logits[0]}. */
    public EvalResult evaluate(Tensor input, Tensor labels, Tensor[] logits) {
        int n = checkBatch(input, labels, false);
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor x = floatTensor(input);
                OnnxTensor y = OnnxTensor.createTensor(env, LongBuffer.wrap(labels.longs()), new long[] {n})) {
            inputs.put(TrainingGraphs.INPUT, x);
            inputs.put(TrainingGraphs.LABELS, y);
            inputs.put(TrainingGraphs.PARAMS, paramTensors[current]);
            if (statLayout.size() > 0) {
                inputs.put(TrainingGraphs.STATS, statTensors[current]);
            }
            if (frozenTensor != null) {
                inputs.put(TrainingGraphs.FROZEN, frozenTensor);
            }
            // The logits (N×K floats) come back always: the per-image predictions cost nothing next to the pass.
            Set<String> requested = Set.of(TrainingGraphs.LOSS, TrainingGraphs.CORRECT, TrainingGraphs.LOGITS);
            try (OrtSession.Result result = evalSession.run(inputs, requested)) {
                float loss = ((OnnxTensor) result.get(TrainingGraphs.LOSS).get())
                        .getFloatBuffer()
                        .get(0);
                long correct = ((OnnxTensor) result.get(TrainingGraphs.CORRECT).get())
                        .getLongBuffer()
                        .get(0);
                FloatBuffer l = ((OnnxTensor) result.get(TrainingGraphs.LOGITS).get()).getFloatBuffer();
                float[] data = new float[l.remaining()];
                l.get(data);
                if (logits != null) {
                    logits[0] = Tensor.ofFloats(new int[] {n, manifest.classes()}, data);
                }
                int k = manifest.classes();
                int[] predicted = new int[n];
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        best = data[i * k + c] > data[i * k + best] ? c : best;
                    }
                    predicted[i] = best;
                }
                return new EvalResult(loss, (int) correct, n, predicted);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the evaluation: " + e.getMessage(), e);
        }
    }

    private OnnxTensor floatTensor(Tensor t) throws OrtException {
        long[] shape = new long[t.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.dim(i);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
    }

    private int checkBatch(Tensor input, Tensor labels, boolean training) {
        int[] chw = manifest.inputShape();
        if (input == null || labels == null) {
            throw new IllegalArgumentException("a batch needs both input and labels");
        }
        if (input.dtype() != DType.F32
                || input.rank() != 4
                || input.dim(1) != chw[0]
                || input.dim(2) != chw[1]
                || input.dim(3) != chw[2]
                || input.dim(0) < 1) {
            throw new IllegalArgumentException("input must be F32[N, " + chw[0] + ", " + chw[1] + ", " + chw[2]
                    + "] for " + manifest.model() + ", got " + input.describe());
        }
        int n = input.dim(0);
        int bad = NonFinite.indexIn(input.floats());
        if (bad >= 0) {
            int perImage = input.elements() / n;
            throw new IllegalArgumentException("input holds " + input.floats()[bad] + " (image " + bad / perImage
                    + " of the batch); images must be finite numbers");
        }
        if (labels.dtype() != DType.I64 || !labels.hasShape(n)) {
            throw new IllegalArgumentException(
                    "labels must be I64[" + n + "] (one per image), got " + labels.describe());
        }
        if (training && n < 2) {
            throw new IllegalArgumentException(
                    "a training batch needs at least 2 images (batch normalisation needs 2 values per channel)");
        }
        long[] y = labels.longs();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= manifest.classes()) {
                throw new IllegalArgumentException("label " + y[i] + " at index " + i + " is out of range: "
                        + manifest.model() + " has " + manifest.classes() + " classes (0.." + (manifest.classes() - 1)
                        + ")");
            }
        }
        return n;
    }

    /** Optimizer steps taken so far (saved in the checkpoint). */
    public long step() {
        return step;
    }

    /** The epoch counter the trainer maintains (saved in the checkpoint). */
    public int epoch() {
        return epoch;
    }

    /** Sets the epoch counter. */
    public void setEpoch(int e) {
        if (e < 0) {
            throw new IllegalArgumentException("epoch must be ≥ 0, got " + e);
        }
        epoch = e;
    }

    /** Current parameters and BN running statistics by torchvision name (copies). */
    public Map<String, Tensor> weights() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (FlatLayout.Entry e : paramLayout.entries()) {
            out.put(e.name(), read(params[current], e));
        }
        for (FlatLayout.Entry e : statLayout.entries()) {
            out.put(e.name(), read(stats[current], e));
        }
        for (FlatLayout.Entry e : frozenLayout.entries()) {
            out.put(e.name(), read(frozen, e));
        }
        return out;
    }

    /** The current parameters, momentum buffers, BN statistics and step count (copies). */
    public TrainingState state() {
        return new TrainingState(
                toArray(params[current]),
                toArray(momentum[current]),
                statLayout.size() > 0 ? toArray(stats[current]) : new float[0],
                step);
    }

    /**
     * Replaces the parameters, momentum buffers, BN statistics and step count (a data-parallel worker starting a
     * round from the averaged state, or the driver taking the average); frozen values stay as they are.
     *
     * @throws IllegalArgumentException when a vector does not have this bundle's layout's length
     */
    public void restore(TrainingState state) {
        if (state.params().length != paramLayout.size() || state.stats().length != statLayout.size()) {
            throw new IllegalArgumentException("the state has " + state.params().length + " parameters and "
                    + state.stats().length + " statistics; " + manifest.model() + " has " + paramLayout.size()
                    + " and " + statLayout.size());
        }
        params[current].put(0, state.params());
        momentum[current].put(0, state.momentum());
        if (statLayout.size() > 0) {
            stats[current].put(0, state.stats());
        }
        step = state.step();
    }

    /** Current momentum buffers by parameter name (copies). */
    public Map<String, Tensor> momentumBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (FlatLayout.Entry e : paramLayout.entries()) {
            out.put(e.name(), read(momentum[current], e));
        }
        return out;
    }

    private static Tensor read(FloatBuffer flat, FlatLayout.Entry e) {
        float[] part = new float[(int) e.length()];
        flat.get((int) e.offset(), part);
        return Tensor.ofFloats(e.shape(), part);
    }

    /**
     * Writes the current state to {@code checkpoint.safetensors} atomically (a crash leaves the previous
     * checkpoint intact).
     *
     * @param extra the trainer's own state (data order, RNG), returned by {@link #extraState} after a
     *     reopen
     */
    public void saveCheckpoint(Map<String, String> extra) throws IOException {
        requireWritable();
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        Checkpoint.write(
                dir.resolve(CHECKPOINT_FILE),
                manifest,
                new Checkpoint.State(
                        toArray(params[current]),
                        toArray(momentum[current]),
                        statLayout.size() > 0 ? toArray(stats[current]) : new float[0],
                        frozenLayout.size() > 0 ? toArray(frozen) : new float[0],
                        step,
                        epoch,
                        copy));
        extraState = copy;
    }

    private static float[] toArray(FloatBuffer b) {
        float[] a = new float[b.capacity()];
        b.get(0, a);
        return a;
    }

    /** The trainer state held by the checkpoint last read or written. */
    public Map<String, String> extraState() {
        return extraState;
    }

    /**
     * A trained model as its bundle holds it: the network (rebuilt from the manifest and checked against its
     * hash), the weights of the last checkpoint (frozen ones included) and the preprocessing. Reads files only; no
     * ONNX Runtime session is opened, so it is quick even for a network whose graphs are slow to open.
     *
     * @param network the network, or the training state and preprocessing to go with
     * @param weights every parameter and running statistic
     * @param preprocessing what training applied, or {@code null} if the bundle was never trained
     */
    public record TrainedModel(Network network, Weights weights, Preprocessing preprocessing) {}

    /**
     * Reads {@code dir}'s network, last checkpoint and preprocessing.
     *
     * @throws IOException when a file is missing or corrupt, or the bundle predates recording its network
     */
    public static TrainedModel trainedModel(Path dir) throws IOException {
        Path manifestFile = dir.resolve(Manifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(dir + ": not a training bundle (no " + Manifest.FILE + ")");
        }
        Manifest manifest = Manifest.read(manifestFile);
        if (manifest.network() == null) {
            throw new IncompatibleBundleException(dir + ": the bundle does not record its network (written by an"
                    + " older version); export it from its spec with the checkpoint's weights instead");
        }
        Network net;
        try {
            net = NetworkJson.fromJson(manifest.network());
        } catch (IllegalArgumentException e) {
            throw new IOException(manifestFile + ": " + e.getMessage(), e);
        }
        if (!net.structureHash().equals(manifest.networkHash())) {
            throw new IOException(manifestFile + ": the recorded network does not match the bundle's network hash");
        }
        Checkpoint.State state = Checkpoint.read(dir.resolve(CHECKPOINT_FILE), manifest);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        unflatten(manifest.parameterLayout(), state.params(), tensors);
        unflatten(manifest.statisticsLayout(), state.stats(), tensors);
        unflatten(manifest.frozenLayout(), state.frozen(), tensors);
        return new TrainedModel(net, Weights.of(net, tensors), manifest.preprocessing());
    }

    private static void unflatten(FlatLayout layout, float[] flat, Map<String, Tensor> into) {
        for (FlatLayout.Entry e : layout.entries()) {
            into.put(e.name(), Tensor.ofFloats(e.shape(), Arrays.copyOfRange(flat, (int) e.offset(), (int)
                    (e.offset() + e.length()))));
        }
    }

    /** The preprocessing the manifest records, if any yet. */
    public Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(manifest.preprocessing());
    }

    /**
     * Records the model's preprocessing in the manifest (rewritten atomically), for training, evaluation and
     * export to share.
     *
     * @throws IllegalArgumentException when it does not make this model's input shape
     */
    public void recordPreprocessing(Preprocessing p) throws IOException {
        requireWritable();
        Manifest updated = manifest.withPreprocessing(p);
        AtomicFiles.writeString(dir.resolve(Manifest.FILE), updated.toJson());
        manifest = updated;
    }

    /** The bundle's manifest. */
    public Manifest manifest() {
        return manifest;
    }

    /** The bundle directory. */
    public Path directory() {
        return dir;
    }

    private void requireWritable() {
        if (lock == null) {
            throw new IllegalStateException(dir + " was opened read-only; open it for writing to change it");
        }
    }

    /** Closes the sessions and native tensors, then releases the bundle's lock. */
    @Override
    public void close() {
        closeSessionsAndTensors();
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // the kernel releases the lock when the file is closed or the process ends
            }
        }
    }

    private void closeSessionsAndTensors() {
        if (frozenTensor != null) {
            frozenTensor.close();
            frozenTensor = null;
        }
        for (OnnxTensor[] ts : List.of(paramTensors, momentumTensors, statTensors)) {
            for (int i = 0; i < ts.length; i++) {
                if (ts[i] != null) {
                    ts[i].close();
                    ts[i] = null;
                }
            }
        }
        closeQuietly(trainSession);
        closeQuietly(evalSession);
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing a session frees native memory; nothing to recover
            }
        }
    }
}
