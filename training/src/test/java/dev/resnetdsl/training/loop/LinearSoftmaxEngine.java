package dev.resnetdsl.training.loop;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.training.bundle.EvalResult;
import dev.resnetdsl.training.bundle.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real, tiny model for testing the trainer without ONNX Runtime: softmax regression trained by plain
 * SGD, with its checkpoint in a safetensors file (weights, step, epoch; extra state in the metadata). It
 * learns, it is deterministic, and its checkpoint can be made to fail on demand.
 */
final class LinearSoftmaxEngine implements StepEngine {
    static final String CHECKPOINT = "checkpoint.safetensors";

    private final Path dir;
    private final int features;
    private final int classes;
    private final float[] weights; // [classes, features + 1], last column is the bias
    private long step;
    private int epoch;
    private Map<String, String> extra = Map.of();
    /** Fail the save with this number (1-based), or never when 0. */
    int failSave;

    private int saves;

    private LinearSoftmaxEngine(Path dir, int features, int classes) {
        this.dir = dir;
        this.features = features;
        this.classes = classes;
        this.weights = new float[classes * (features + 1)];
    }

    /** A fresh model, or the one checkpointed in {@code dir}. */
    static LinearSoftmaxEngine open(Path dir, int features, int classes) throws IOException {
        LinearSoftmaxEngine e = new LinearSoftmaxEngine(dir, features, classes);
        Path file = dir.resolve(CHECKPOINT);
        if (Files.exists(file)) {
            TensorFile f = Safetensors.read(file);
            float[] w = f.require("weights").floats();
            System.arraycopy(w, 0, e.weights, 0, w.length);
            Map<String, String> meta = new LinkedHashMap<>(f.metadata());
            e.step = Long.parseLong(meta.remove("step"));
            e.epoch = Integer.parseInt(meta.remove("epoch"));
            e.extra = Map.copyOf(meta);
        }
        return e;
    }

    float[] weights() {
        return weights.clone();
    }

    private float[] probabilities(float[] x, int offset) {
        float[] p = new float[classes];
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            int row = k * (features + 1);
            float z = weights[row + features];
            for (int j = 0; j < features; j++) {
                z += weights[row + j] * x[offset + j];
            }
            p[k] = z;
            max = Math.max(max, z);
        }
        float sum = 0;
        for (int k = 0; k < classes; k++) {
            p[k] = (float) Math.exp(p[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < classes; k++) {
            p[k] /= sum;
        }
        return p;
    }

    @Override
    public StepResult step(Tensor input, Tensor labels, float learningRate) {
        int n = labels.dim(0);
        float[] x = input.floats();
        float[] grad = new float[weights.length];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            float[] p = probabilities(x, i * features);
            int y = (int) labels.longs()[i];
            loss -= Math.log(Math.max(p[y], 1e-30f));
            correct += argmax(p) == y ? 1 : 0;
            for (int k = 0; k < classes; k++) {
                float d = (p[k] - (k == y ? 1 : 0)) / n;
                int row = k * (features + 1);
                for (int j = 0; j < features; j++) {
                    grad[row + j] += d * x[i * features + j];
                }
                grad[row + features] += d;
            }
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] -= learningRate * grad[i];
        }
        step++;
        return new StepResult((float) (loss / n), correct, n);
    }

    @Override
    public EvalResult evaluate(Tensor input, Tensor labels) {
        int n = labels.dim(0);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            float[] p = probabilities(input.floats(), i * features);
            int y = (int) labels.longs()[i];
            loss -= Math.log(Math.max(p[y], 1e-30f));
            correct += argmax(p) == y ? 1 : 0;
        }
        return new EvalResult((float) (loss / n), correct, n);
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public void saveCheckpoint(Map<String, String> extraState) throws IOException {
        saves++;
        Map<String, String> meta = new LinkedHashMap<>(extraState);
        meta.put("step", Long.toString(step));
        meta.put("epoch", Integer.toString(epoch));
        Map<String, Tensor> tensors = Map.of("weights", Tensor.ofFloats(new int[] {weights.length}, weights.clone()));
        if (saves == failSave) {
            // What a full disk looks like from inside the atomic writer: the temporary file fails mid-way.
            dev.resnetdsl.runtime.io.AtomicFiles.write(dir.resolve(CHECKPOINT), out -> {
                out.write(new byte[100]);
                throw new IOException("No space left on device");
            });
        }
        Safetensors.write(dir.resolve(CHECKPOINT), tensors, meta);
        extra = Map.copyOf(extraState);
    }

    @Override
    public Map<String, String> extraState() {
        return extra;
    }

    private Preprocessing preprocessing;

    @Override
    public Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(preprocessing);
    }

    @Override
    public void recordPreprocessing(Preprocessing p) {
        preprocessing = p;
    }

    @Override
    public void close() {}

    private static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
