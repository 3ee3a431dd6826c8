package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.training.bundle.Hyperparameters;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the two ONNX graphs of a training bundle from a {@link Network}, in standard opset-17
 * operators that the stock CPU and CUDA builds of ONNX Runtime run.
 *
 * <p>{@code train_step.onnx} — inputs {@code input} F32[N,C,H,W], {@code labels} I64[N], {@code lr}
 * F32[], {@code params} F32[P], {@code momentum} F32[P], {@code stats} F32[S] (absent when the network
 * has no BN); outputs {@code loss} F32[] (mean softmax cross-entropy), {@code correct} I64[],
 * {@code params_out}, {@code momentum_out}, {@code stats_out} (next step's inputs) and {@code grads}
 * F32[P] (the raw gradients, requested only by callers that need them). With {@link Freezing}, the frozen
 * parameters and the running statistics of frozen BN layers come in one more input, {@code frozen} F32[F],
 * which the step never changes; {@code params}, {@code momentum} and {@code stats} then hold only what trains.
 *
 * <p>{@code eval.onnx} — inputs {@code input}, {@code labels}, {@code params}, {@code stats} (and
 * {@code frozen}); outputs {@code logits} F32[N,K], {@code loss} F32[] (mean), {@code correct} I64[].
 *
 * <p>Runs of identical blocks are written once each, as loops over the blocks' rows of the flat vectors
 * ({@link RepeatedBlocks}, {@link BlockLoop}), so both graphs hold about as many nodes for ResNet-1202 as for
 * ResNet-20 and ONNX Runtime opens them as fast; {@link GraphOptions} can turn that off.
 */
public final class TrainingGraphs {
    /** Version of the bundle format and graph builder, recorded in the manifest. */
    public static final String VERSION = "2";
    /** The opset of the default domain the graphs use. */
    public static final int OPSET = OnnxGraph.OPSET;
    /** The ONNX IR version of the graphs. */
    public static final int IR_VERSION = OnnxGraph.IR_VERSION;

    public static final String INPUT = "input";
    public static final String LABELS = "labels";
    public static final String LR = "lr";
    public static final String PARAMS = "params";
    public static final String MOMENTUM = "momentum";
    public static final String STATS = "stats";
    public static final String FROZEN = "frozen";
    public static final String LOSS = "loss";
    public static final String CORRECT = "correct";
    public static final String LOGITS = "logits";
    public static final String PARAMS_OUT = "params_out";
    public static final String MOMENTUM_OUT = "momentum_out";
    public static final String STATS_OUT = "stats_out";
    public static final String GRADS = "grads";

    private static final DType F32 = DType.F32;
    private static final DType I64 = DType.I64;

    private TrainingGraphs() {}

    /** The graph of one SGD step, nothing frozen. */
    public static Onnx.ModelProto trainStep(Network net, Hyperparameters hp, Map<String, String> metadata) {
        return trainStep(net, hp, Freezing.none(), metadata);
    }

    /** The graph of one SGD step of the parameters {@code freezing} leaves trainable. */
    public static Onnx.ModelProto trainStep(
            Network net, Hyperparameters hp, Freezing freezing, Map<String, String> metadata) {
        return trainStep(net, hp, freezing, GraphOptions.defaults(), metadata);
    }

    /** The graph of one SGD step, written as {@code options} say. */
    public static Onnx.ModelProto trainStep(
            Network net, Hyperparameters hp, Freezing freezing, GraphOptions options, Map<String, String> metadata) {
        FlatLayout paramLayout = FlatLayout.trainable(net, freezing);
        FlatLayout statLayout = FlatLayout.statistics(net, freezing);
        FlatLayout frozenLayout = FlatLayout.frozen(net, freezing);
        OnnxGraph g = new OnnxGraph("train_step");
        declareCommonInputs(g, net, paramLayout, statLayout, frozenLayout);
        g.input(LR, F32);
        g.input(MOMENTUM, F32, paramLayout.size());

        Set<String> trainable = new HashSet<>();
        paramLayout.entries().forEach(e -> trainable.add(e.name()));
        List<RepeatedBlocks.Run> plan = BlockLoop.fitting(
                RepeatedBlocks.plan(net, options),
                paramLayout,
                statLayout,
                BackwardPass.needingGradient(net.layers(), trainable));
        Map<Integer, BlockLoop> loops = loops(g, plan, paramLayout, statLayout);
        FlatPieces paramPieces = new FlatPieces(paramLayout, List.copyOf(loops.values()));
        Map<String, String> params = new HashMap<>();
        Map<BlockLoop, String> paramChunks = new HashMap<>();
        paramPieces.unpack(g, PARAMS, params, paramChunks);
        // Training-mode BN reads no running statistics (the step blends them with the batch's on the flat vector
        // below); only frozen BN layers do, and theirs come in `frozen`.
        Map<String, String> stats = new HashMap<>();
        unpackFrozen(g, frozenLayout, params, stats);
        String n = batchSize(g);
        ForwardPass forward = new ForwardPass(g, true, params, stats, n, net.input(), INPUT, freezing);
        for (RepeatedBlocks.Run run : plan) {
            BlockLoop loop = loops.get(run.from());
            if (loop != null) {
                loop.forwardTraining(forward, paramChunks.get(loop), n, net.layers(), trainable);
            } else {
                run.all().forEach(forward::layer);
            }
        }
        String logits = g.op("Flatten", "logits2d", new String[] {forward.value(net.output())}, "axis", 1);
        String logProbs = g.op("LogSoftmax", "logp", new String[] {logits}, "axis", 1);
        String oneHot = oneHot(g, net.classes());
        lossAndCorrect(g, logits, logProbs, oneHot, n);

        // d(mean CE)/d logits = (softmax − onehot) / N.
        String probs = g.op("Exp", "probs", new String[] {logProbs});
        String dLogits2d =
                g.op("Div", "dlogits", new String[] {g.op("Sub", "probs_err", new String[] {probs, oneHot}), n});
        String dLogits = g.op("Reshape", "dlogits4d", new String[] {dLogits2d, g.ints(0, net.classes(), 1, 1)});
        BackwardPass backward = new BackwardPass(g, forward, params, stats, n, net.layers(), trainable);
        backward.seed(net.output(), dLogits);
        for (int r = plan.size() - 1; r >= 0; r--) {
            RepeatedBlocks.Run run = plan.get(r);
            BlockLoop loop = loops.get(run.from());
            if (loop != null) {
                loop.backward(backward);
            } else {
                List<Layer> layers = run.all();
                for (int i = layers.size() - 1; i >= 0; i--) {
                    backward.layer(layers.get(i));
                }
            }
        }
        writeConcat(g, GRADS, paramPieces.parts(g, backward.paramGrads::get, BlockLoop::gradChunk));
        sgd(g, hp);
        if (statLayout.size() > 0) {
            // (1 − m)·running + m·batch, PyTorch's update in its order of operations, once on the flat vectors.
            String[] parts = new FlatPieces(statLayout, List.copyOf(loops.values()))
                    .parts(g, forward.batchStats::get, BlockLoop::statChunk);
            String batch = parts.length == 1 ? parts[0] : g.op("Concat", "batch_stats", parts, "axis", 0);
            float m = (float) Layer.BatchNorm.MOMENTUM;
            String keep = g.op("Mul", "stats_keep", new String[] {STATS, g.scalar(1f - m)});
            String take = g.op("Mul", "stats_take", new String[] {batch, g.scalar(m)});
            g.opInto("Add", new String[] {STATS_OUT}, new String[] {keep, take});
        }

        g.output(LOSS, F32);
        g.output(CORRECT, I64);
        g.output(PARAMS_OUT, F32, paramLayout.size());
        g.output(MOMENTUM_OUT, F32, paramLayout.size());
        if (statLayout.size() > 0) {
            g.output(STATS_OUT, F32, statLayout.size());
        }
        g.output(GRADS, F32, paramLayout.size());
        return g.model(
                "One SGD step of " + net.name() + " (training-mode BN, mean softmax cross-entropy, momentum "
                        + hp.momentum() + ", weight decay " + hp.weightDecay() + (hp.nesterov() ? ", Nesterov" : "")
                        + ")",
                metadata);
    }

    /** The evaluation graph, nothing frozen. */
    public static Onnx.ModelProto eval(Network net, Map<String, String> metadata) {
        return eval(net, Freezing.none(), metadata);
    }

    /** The evaluation graph: BN on running statistics, logits, loss and correct count. */
    public static Onnx.ModelProto eval(Network net, Freezing freezing, Map<String, String> metadata) {
        return eval(net, freezing, GraphOptions.defaults(), metadata);
    }

    /** The evaluation graph, written as {@code options} say. */
    public static Onnx.ModelProto eval(
            Network net, Freezing freezing, GraphOptions options, Map<String, String> metadata) {
        FlatLayout paramLayout = FlatLayout.trainable(net, freezing);
        FlatLayout statLayout = FlatLayout.statistics(net, freezing);
        FlatLayout frozenLayout = FlatLayout.frozen(net, freezing);
        OnnxGraph g = new OnnxGraph("eval");
        declareCommonInputs(g, net, paramLayout, statLayout, frozenLayout);
        List<RepeatedBlocks.Run> plan =
                BlockLoop.fitting(RepeatedBlocks.plan(net, options), paramLayout, statLayout, null);
        Map<Integer, BlockLoop> loops = loops(g, plan, paramLayout, statLayout);
        Map<String, String> params = new HashMap<>();
        Map<BlockLoop, String> paramChunks = new HashMap<>();
        new FlatPieces(paramLayout, List.copyOf(loops.values())).unpack(g, PARAMS, params, paramChunks);
        Map<String, String> stats = new HashMap<>();
        Map<BlockLoop, String> statChunks = new HashMap<>();
        new FlatPieces(statLayout, List.copyOf(loops.values())).unpack(g, STATS, stats, statChunks);
        unpackFrozen(g, frozenLayout, params, stats);
        String n = batchSize(g);
        ForwardPass forward = new ForwardPass(g, false, params, stats, n, net.input(), INPUT, freezing);
        for (RepeatedBlocks.Run run : plan) {
            BlockLoop loop = loops.get(run.from());
            if (loop != null) {
                loop.forwardEval(forward, paramChunks.get(loop), statChunks.get(loop), n);
            } else {
                run.all().forEach(forward::layer);
            }
        }
        g.opInto("Flatten", new String[] {LOGITS}, new String[] {forward.value(net.output())}, "axis", 1);
        String logProbs = g.op("LogSoftmax", "logp", new String[] {LOGITS}, "axis", 1);
        lossAndCorrect(g, LOGITS, logProbs, oneHot(g, net.classes()), n);
        g.output(LOGITS, F32, -1, net.classes());
        g.output(LOSS, F32);
        g.output(CORRECT, I64);
        return g.model("Evaluation of " + net.name() + " (BN on running statistics)", metadata);
    }

    /** A loop for every run of {@code plan} written as one, by the index of the run's first layer, in order. */
    private static Map<Integer, BlockLoop> loops(
            OnnxGraph g, List<RepeatedBlocks.Run> plan, FlatLayout paramLayout, FlatLayout statLayout) {
        Map<Integer, BlockLoop> loops = new LinkedHashMap<>();
        for (RepeatedBlocks.Run run : plan) {
            if (run.isLoop()) {
                loops.put(run.from(), BlockLoop.of(g, run, paramLayout, statLayout));
            }
        }
        return loops;
    }

    /** {@code output} = the concatenation of {@code parts} (1-D). */
    private static void writeConcat(OnnxGraph g, String output, String[] parts) {
        if (parts.length == 1) {
            g.opInto("Identity", new String[] {output}, parts);
        } else {
            g.opInto("Concat", new String[] {output}, parts, "axis", 0);
        }
    }

    private static void declareCommonInputs(
            OnnxGraph g, Network net, FlatLayout paramLayout, FlatLayout statLayout, FlatLayout frozenLayout) {
        Activation in = net.input();
        g.input(INPUT, F32, -1, in.channels(), in.height(), in.width());
        g.input(LABELS, I64, -1);
        g.input(PARAMS, F32, paramLayout.size());
        if (statLayout.size() > 0) {
            g.input(STATS, F32, statLayout.size());
        }
        if (frozenLayout.size() > 0) {
            g.input(FROZEN, F32, frozenLayout.size());
        }
    }

    /** Frozen values: parameters join {@code params}, running statistics join {@code stats}, by name. */
    private static void unpackFrozen(
            OnnxGraph g, FlatLayout frozenLayout, Map<String, String> params, Map<String, String> stats) {
        if (frozenLayout.size() == 0) {
            return;
        }
        for (Map.Entry<String, String> e : unpack(g, FROZEN, frozenLayout).entrySet()) {
            boolean statistic =
                    e.getKey().endsWith(".running_mean") || e.getKey().endsWith(".running_var");
            (statistic ? stats : params).put(e.getKey(), e.getValue());
        }
    }

    private static Map<String, String> unpack(OnnxGraph g, String flat, FlatLayout layout) {
        Map<String, String> values = new HashMap<>();
        new FlatPieces(layout, List.of()).unpack(g, flat, values, new HashMap<>());
        return values;
    }

    /** N as a float scalar. */
    private static String batchSize(OnnxGraph g) {
        String shape = g.op("Shape", "batch_shape", new String[] {INPUT}, "start", 0, "end", 1);
        String asFloat =
                g.op("Cast", "batch_f", new String[] {shape}, "to", (long) Onnx.TensorProto.DataType.FLOAT_VALUE);
        return g.op("Reshape", "batch_size", new String[] {asFloat, g.ints()});
    }

    /** One-hot labels [N, K] as floats. */
    private static String oneHot(OnnxGraph g, int classes) {
        long[] range = new long[classes];
        for (int i = 0; i < classes; i++) {
            range[i] = i;
        }
        String column = g.op("Unsqueeze", "labels_col", new String[] {LABELS, g.ints(1)});
        String eq = g.op("Equal", "onehot_b", new String[] {column, g.ints(range)});
        return g.op("Cast", "onehot", new String[] {eq}, "to", (long) Onnx.TensorProto.DataType.FLOAT_VALUE);
    }

    private static void lossAndCorrect(OnnxGraph g, String logits, String logProbs, String oneHot, String n) {
        String picked = g.op("Mul", "picked", new String[] {oneHot, logProbs});
        String total = g.op("ReduceSum", "nll_sum", new String[] {picked}, "keepdims", 0);
        String mean = g.op("Div", "nll_mean", new String[] {total, n});
        g.opInto("Neg", new String[] {LOSS}, new String[] {mean});
        String predicted = g.op("ArgMax", "predicted", new String[] {logits}, "axis", 1, "keepdims", 0);
        String hits =
                g.op("Cast", "hits", new String[] {g.op("Equal", "hit", new String[] {predicted, LABELS})}, "to", (long)
                        Onnx.TensorProto.DataType.FLOAT_VALUE);
        String count = g.op("ReduceSum", "hit_count", new String[] {hits}, "keepdims", 0);
        g.opInto("Cast", new String[] {CORRECT}, new String[] {count}, "to", (long)
                Onnx.TensorProto.DataType.INT64_VALUE);
    }

    /**
     * PyTorch's SGD on the flat vectors: g ← grad + wd·w; v ← μ·v + g (v starts at zero, so the first
     * step gives v = g exactly); w ← w − lr·v, or w ← w − lr·(g + μ·v) with Nesterov.
     */
    private static void sgd(OnnxGraph g, Hyperparameters hp) {
        String grad = GRADS;
        if (hp.weightDecay() != 0f) {
            grad = g.op("Add", "decayed", new String[] {
                GRADS, g.op("Mul", "decay", new String[] {PARAMS, g.scalar(hp.weightDecay())})
            });
        }
        String update;
        if (hp.momentum() != 0f) {
            String kept = g.op("Mul", "momentum_kept", new String[] {MOMENTUM, g.scalar(hp.momentum())});
            g.opInto("Add", new String[] {MOMENTUM_OUT}, new String[] {kept, grad});
            update = hp.nesterov()
                    ? g.op("Add", "nesterov", new String[] {
                        grad, g.op("Mul", "lookahead", new String[] {MOMENTUM_OUT, g.scalar(hp.momentum())})
                    })
                    : MOMENTUM_OUT;
        } else {
            g.opInto("Identity", new String[] {MOMENTUM_OUT}, new String[] {grad});
            update = grad;
        }
        String step = g.op("Mul", "step", new String[] {update, LR});
        g.opInto("Sub", new String[] {PARAMS_OUT}, new String[] {PARAMS, step});
    }
}
