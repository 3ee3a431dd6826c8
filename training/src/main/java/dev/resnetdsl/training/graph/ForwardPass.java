package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a network's forward pass into an {@link OnnxGraph}, in training mode (BN on batch statistics,
 * written with primitive operators because the CUDA provider refuses BatchNormalization's training
 * mode) or in evaluation mode (BatchNormalization on running statistics). In training mode it keeps the
 * intermediate values the backward pass needs ({@link SavedValues}) and each BN's batch statistics, from which
 * the caller updates the running statistics.
 */
final class ForwardPass implements Layer.Visitor<String>, SavedValues {
    private final OnnxGraph g;
    private final boolean training;
    private final Map<String, String> params;
    private final Map<String, String> stats;
    private final String batchSize;
    private final Freezing freezing;
    private final Map<String, String> values = new HashMap<>();
    /** BN layer name → centred input x − μ; training mode only. */
    private final Map<String, String> bnCentred = new HashMap<>();
    /** BN layer name → γ·invstd of shape [1, C, 1, 1]; training mode only. */
    private final Map<String, String> bnScale = new HashMap<>();
    /** BN layer name → 1/sqrt(var + ε) of shape [1, C, 1, 1]; training mode only. */
    private final Map<String, String> bnInvStd = new HashMap<>();
    /**
     * Running statistic name → this batch's value of it, [C]: the mean, or the unbiased variance (× M/(M − 1),
     * M = N·H·W, as PyTorch updates it); training mode only. The caller blends them into the running statistics
     * once, on the flat vector.
     */
    final Map<String, String> batchStats = new LinkedHashMap<>();

    /**
     * @param params parameter name → graph value holding it in its own shape
     * @param stats running statistic name → graph value
     * @param batchSize graph value: the batch size N as a float scalar
     * @param input the activation the layers start from (the network's input, or a repeated block's) and the
     *     graph value holding it
     * @param freezing frozen BN layers normalise with their running statistics even in training mode
     */
    ForwardPass(
            OnnxGraph g,
            boolean training,
            Map<String, String> params,
            Map<String, String> stats,
            String batchSize,
            Activation input,
            String inputValue,
            Freezing freezing) {
        this.g = g;
        this.training = training;
        this.params = params;
        this.stats = stats;
        this.batchSize = batchSize;
        this.freezing = freezing;
        values.put(input.name(), inputValue);
    }

    /** Records that {@code a} is held by the graph value {@code value} (written outside this pass: a loop's output). */
    void define(Activation a, String value) {
        values.put(a.name(), value);
    }

    @Override
    public String centred(Layer.BatchNorm b) {
        return saved(bnCentred, b);
    }

    @Override
    public String invStd(Layer.BatchNorm b) {
        return saved(bnInvStd, b);
    }

    @Override
    public String scale(Layer.BatchNorm b) {
        return saved(bnScale, b);
    }

    private static String saved(Map<String, String> map, Layer.BatchNorm b) {
        String v = map.get(b.name());
        if (v == null) {
            throw new IllegalStateException(b.name() + " was not written in training mode");
        }
        return v;
    }

    /** The graph value of an activation computed so far. */
    @Override
    public String value(Activation a) {
        String v = values.get(a.name());
        if (v == null) {
            throw new IllegalStateException("activation " + a.name() + " used before it is computed");
        }
        return v;
    }

    /** Writes one layer. */
    void layer(Layer layer) {
        values.put(layer.output().name(), layer.accept(this));
    }

    @Override
    public String conv(Layer.Conv c) {
        return g.op(
                "Conv",
                "conv",
                new String[] {value(c.input()), params.get(c.weight())},
                "kernel_shape",
                new int[] {c.kernel(), c.kernel()},
                "strides",
                new int[] {c.stride(), c.stride()},
                "pads",
                new int[] {c.padding(), c.padding(), c.padding(), c.padding()},
                "group",
                c.groups());
    }

    @Override
    public String batchNorm(Layer.BatchNorm b) {
        return training && !freezing.frozen(b.weight()) ? batchNormTraining(b) : batchNormEval(b);
    }

    @Override
    public String relu(Layer.Relu r) {
        return g.op("Relu", "relu", new String[] {value(r.input())});
    }

    @Override
    public String maxPool(Layer.MaxPool m) {
        return g.op(
                "MaxPool",
                "maxpool",
                new String[] {value(m.input())},
                "kernel_shape",
                new int[] {m.kernel(), m.kernel()},
                "strides",
                new int[] {m.stride(), m.stride()},
                "pads",
                new int[] {m.padding(), m.padding(), m.padding(), m.padding()});
    }

    @Override
    public String add(Layer.Add a) {
        return g.op("Add", "add", new String[] {value(a.left()), value(a.right())});
    }

    @Override
    public String globalAvgPool(Layer.GlobalAvgPool p) {
        return g.op("GlobalAveragePool", "avgpool", new String[] {value(p.input())});
    }

    @Override
    public String fullyConnected(Layer.FullyConnected f) {
        String flat = g.op("Flatten", "flatten", new String[] {value(f.input())}, "axis", 1);
        String gemm =
                g.op("Gemm", "fc", new String[] {flat, params.get(f.weight()), params.get(f.bias())}, "transB", 1);
        // Activations are N×C×H×W throughout; the loss flattens the logits again.
        return g.op("Reshape", "fc4d", new String[] {gemm, g.ints(0, f.output().channels(), 1, 1)});
    }

    @Override
    public String zeroPadShortcut(Layer.ZeroPadShortcut z) {
        Activation in = z.input();
        String x = value(in);
        if (z.stride() > 1) {
            x = g.op("Slice", "subsample", new String[] {
                x, g.ints(0, 0), g.ints(in.height(), in.width()), g.ints(2, 3), g.ints(z.stride(), z.stride())
            });
        }
        int extra = z.output().channels() - in.channels();
        if (extra > 0) {
            x = g.op("Pad", "zeropad", new String[] {x, g.ints(0, 0, 0, 0, 0, extra, 0, 0)});
        }
        return x;
    }

    private String batchNormEval(Layer.BatchNorm b) {
        return g.op(
                "BatchNormalization",
                "bn",
                new String[] {
                    value(b.input()),
                    params.get(b.weight()),
                    params.get(b.bias()),
                    stats.get(b.runningMean()),
                    stats.get(b.runningVar())
                },
                "epsilon",
                (float) Layer.BatchNorm.EPSILON);
    }

    private String batchNormTraining(Layer.BatchNorm b) {
        Activation in = b.input();
        int c = in.channels();
        String x = value(in);
        int[] axes = {0, 2, 3};
        float epsilon = (float) Layer.BatchNorm.EPSILON;
        String mean = g.op("ReduceMean", "bn_mean", new String[] {x}, "axes", axes, "keepdims", 1);
        String centred = g.op("Sub", "bn_centred", new String[] {x, mean});
        // The variance as the mean of the squared centred values: ReduceSumSquare would save a pass, but ONNX
        // Runtime's CPU kernel sums less accurately, enough to move the oracle test's gradients by 1e-3.
        String square = g.op("Mul", "bn_sq", new String[] {centred, centred});
        String var = g.op("ReduceMean", "bn_var", new String[] {square}, "axes", axes, "keepdims", 1);
        String std =
                g.op("Sqrt", "bn_std", new String[] {g.op("Add", "bn_vareps", new String[] {var, g.scalar(epsilon)})});
        String invStd = g.op("Reciprocal", "bn_invstd", new String[] {std});
        String shape4 = g.ints(1, c, 1, 1);
        String gamma = g.op("Reshape", "bn_gamma", new String[] {params.get(b.weight()), shape4});
        String scale = g.op("Mul", "bn_scale", new String[] {gamma, invStd});
        String shape1 = g.ints(c);
        String batchMean = g.op("Reshape", "bn_bmean", new String[] {mean, shape1});
        String batchVarBiased = g.op("Reshape", "bn_bvar_c", new String[] {var, shape1});
        // y = (x − μ)/√(σ² + ε)·γ + β is inference-mode BatchNormalization fed the batch's own statistics:
        // one fused pass over x, where Mul and Add would be two. (Training-mode BatchNormalization is what the
        // CUDA provider refuses; this form every provider runs.)
        String y = g.op(
                "BatchNormalization",
                "bn_out",
                new String[] {x, params.get(b.weight()), params.get(b.bias()), batchMean, batchVarBiased},
                "epsilon",
                epsilon);
        bnCentred.put(b.name(), centred);
        bnInvStd.put(b.name(), invStd);
        bnScale.put(b.name(), scale);

        // The running statistics take the unbiased variance, M / (M − 1), as PyTorch's do.
        String count = g.op("Mul", "bn_count", new String[] {batchSize, g.scalar((float) in.height() * in.width())});
        String unbias = g.op(
                "Div", "bn_unbias", new String[] {count, g.op("Sub", "bn_count1", new String[] {count, g.scalar(1f)})});
        batchStats.put(b.runningMean(), batchMean);
        batchStats.put(b.runningVar(), g.op("Mul", "bn_bvar", new String[] {batchVarBiased, unbias}));
        return y;
    }
}
