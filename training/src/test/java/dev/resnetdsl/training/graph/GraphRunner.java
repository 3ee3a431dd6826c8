package dev.resnetdsl.training.graph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.training.bundle.Hyperparameters;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Runs a network's train-step graph directly on flat vectors, for gradient checks. */
public final class GraphRunner implements AutoCloseable {
    final Network net;
    final FlatLayout params;
    final FlatLayout stats;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    GraphRunner(Network net, Hyperparameters hp) throws OrtException {
        this.net = net;
        this.params = FlatLayout.trainable(net);
        this.stats = FlatLayout.statistics(net);
        byte[] model = TrainingGraphs.trainStep(net, hp, Map.of()).toByteArray();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1); // deterministic summation order for finite differences
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            session = env.createSession(model, options);
        }
    }

    /** Outputs of one step. */
    record Outputs(float loss, long correct, float[] grads, float[] paramsOut, float[] momentumOut, float[] statsOut) {}

    Outputs run(Tensor input, Tensor labels, float lr, float[] p, float[] m, float[] s) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.floats()), longs(input.shape()));
                OnnxTensor y = OnnxTensor.createTensor(env, LongBuffer.wrap(labels.longs()), longs(labels.shape()));
                OnnxTensor l = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {lr}), new long[0]);
                OnnxTensor pt = OnnxTensor.createTensor(env, FloatBuffer.wrap(p), new long[] {p.length});
                OnnxTensor mt = OnnxTensor.createTensor(env, FloatBuffer.wrap(m), new long[] {m.length});
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(s), new long[] {s.length})) {
            in.put(TrainingGraphs.INPUT, x);
            in.put(TrainingGraphs.LABELS, y);
            in.put(TrainingGraphs.LR, l);
            in.put(TrainingGraphs.PARAMS, pt);
            in.put(TrainingGraphs.MOMENTUM, mt);
            if (s.length > 0) {
                in.put(TrainingGraphs.STATS, st);
            }
            try (OrtSession.Result r = session.run(in)) {
                return new Outputs(
                        floats(r, TrainingGraphs.LOSS)[0],
                        ((OnnxTensor) r.get(TrainingGraphs.CORRECT).get())
                                .getLongBuffer()
                                .get(0),
                        floats(r, TrainingGraphs.GRADS),
                        floats(r, TrainingGraphs.PARAMS_OUT),
                        floats(r, TrainingGraphs.MOMENTUM_OUT),
                        s.length > 0 ? floats(r, TrainingGraphs.STATS_OUT) : new float[0]);
            }
        }
    }

    private static float[] floats(OrtSession.Result r, String name) {
        FloatBuffer b = ((OnnxTensor) r.get(name).get()).getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static long[] longs(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = shape[i];
        }
        return l;
    }

    /** Random but well-scaled parameters: He-scaled convs, BN γ in [0.5, 1.5], β ~ N(0, 0.1). */
    float[] randomParams(Random rnd) {
        float[] p = new float[params.size()];
        for (FlatLayout.Entry e : params.entries()) {
            int[] shape = e.shape();
            double scale;
            if (e.name().endsWith(".weight") && shape.length == 4) {
                scale = Math.sqrt(2.0 / (shape[1] * shape[2] * shape[3]));
            } else if (shape.length == 2) {
                scale = 1.0 / Math.sqrt(shape[1]);
            } else if (e.name().endsWith(".weight")) {
                for (int i = 0; i < e.length(); i++) {
                    p[(int) e.offset() + i] = 0.5f + rnd.nextFloat();
                }
                continue;
            } else {
                scale = 0.1;
            }
            for (int i = 0; i < e.length(); i++) {
                p[(int) e.offset() + i] = (float) (rnd.nextGaussian() * scale);
            }
        }
        return p;
    }

    /** Running statistics: means ~ N(0, 0.1), variances in [0.5, 2]. */
    float[] randomStats(Random rnd) {
        float[] s = new float[stats.size()];
        for (FlatLayout.Entry e : stats.entries()) {
            boolean var = e.name().endsWith("running_var");
            for (int i = 0; i < e.length(); i++) {
                s[(int) e.offset() + i] = var ? 0.5f + 1.5f * rnd.nextFloat() : (float) (0.1 * rnd.nextGaussian());
            }
        }
        return s;
    }

    public static Tensor randomInput(Network net, int n, Random rnd) {
        int[] shape = {
            n, net.input().channels(), net.input().height(), net.input().width()
        };
        float[] x = new float[Math.toIntExact(Tensor.elementCount(shape))];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return Tensor.ofFloats(shape, x);
    }

    public static Tensor randomLabels(Network net, int n, Random rnd) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(net.classes());
        }
        return Tensor.ofLongs(new int[] {n}, y);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
