package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the backward pass of a network into an {@link OnnxGraph}: given the gradient of the loss with
 * respect to the logits, the gradient of every trainable parameter, in standard operators only. Layers
 * are visited in reverse execution order; gradients of an activation read by several layers are
 * summed.
 *
 * <p>Only what a trainable parameter needs is written: an activation gets a gradient only when some
 * trainable parameter lies upstream of it ({@link #needsGrad}), so with the lower layers frozen the pass
 * stops at the lowest trainable layer, and with nothing frozen it stops at the input.
 */
final class BackwardPass implements Layer.Visitor<Void> {
    private final OnnxGraph g;
    private final SavedValues forward;
    private final Map<String, String> params;
    private final Map<String, String> stats;
    private final String batchSize;
    private final ConvWeightGradients weightGradients;
    private final Set<String> trainable;
    private final Set<String> dependsOnTrainable;
    private final Map<String, String> activationGrads = new HashMap<>();
    private final Map<Integer, String[]> unitMoments = new HashMap<>();
    private final Map<Integer, String> scatterKernels = new HashMap<>();
    /** Parameter name → gradient value in the parameter's shape, for every trainable parameter. */
    final Map<String, String> paramGrads = new HashMap<>();
    /** The gradient of the loss with respect to the layer's output while {@link #run} visits it. */
    private String dy;

    /**
     * @param stats running statistic name → graph value (frozen BN layers' gradient reads them)
     * @param layers the network's layers, in execution order
     * @param trainable names of the parameters to compute gradients for
     */
    BackwardPass(
            OnnxGraph g,
            SavedValues forward,
            Map<String, String> params,
            Map<String, String> stats,
            String batchSize,
            List<Layer> layers,
            Set<String> trainable) {
        this.g = g;
        this.forward = forward;
        this.params = params;
        this.stats = stats;
        this.batchSize = batchSize;
        this.weightGradients = new ConvWeightGradients(g, forward);
        this.dependsOnTrainable = needingGradient(layers, trainable);
        this.trainable = Set.copyOf(trainable);
    }

    /**
     * Names of the activations of {@code layers} that need a gradient: those with a trainable parameter upstream
     * (the network's input never).
     */
    static Set<String> needingGradient(List<Layer> layers, Set<String> trainable) {
        Set<String> needed = new HashSet<>();
        for (Layer layer : layers) {
            boolean trains = layer.parameterNames().stream().anyMatch(trainable::contains)
                    || layer.inputs().stream().anyMatch(a -> needed.contains(a.name()));
            if (trains) {
                needed.add(layer.output().name());
            }
        }
        return needed;
    }

    /** Runs the backward pass over {@code layers} from the gradient of their last output. */
    void run(List<Layer> layers, String logitsGrad) {
        seed(layers.get(layers.size() - 1).output(), logitsGrad);
        for (int i = layers.size() - 1; i >= 0; i--) {
            layer(layers.get(i));
        }
    }

    /**
     * Writes one layer's backward step, from the gradient of its output gathered so far (layers must come in
     * reverse execution order); a layer whose output has no gradient (it does not reach the loss, or nothing below
     * it trains) writes nothing.
     */
    void layer(Layer layer) {
        dy = activationGrads.get(layer.output().name());
        if (dy != null) {
            layer.accept(this);
        }
    }

    /** Starts the pass: {@code grad} is the gradient of the loss with respect to {@code a}. */
    void seed(Activation a, String grad) {
        activationGrads.put(a.name(), grad);
    }

    /** The gradient of the loss with respect to {@code a} gathered so far, or null. */
    String gradient(Activation a) {
        return activationGrads.get(a.name());
    }

    /** Adds {@code grad} to the gradient of {@code a} (nothing when no trainable parameter lies upstream of it). */
    void accumulate(Activation a, String grad) {
        if (!needsGrad(a)) {
            return;
        }
        activationGrads.merge(a.name(), grad, (old, add) -> g.op("Add", "grad_sum", new String[] {old, add}));
    }

    /** Whether a trainable parameter lies upstream of {@code a} (never true for the network's input). */
    boolean needsGrad(Activation a) {
        return dependsOnTrainable.contains(a.name());
    }

    private boolean trains(String parameter) {
        return trainable.contains(parameter);
    }

    @Override
    public Void conv(Layer.Conv c) {
        if (trains(c.weight())) {
            paramGrads.put(c.weight(), weightGradients.of(c, dy));
        }
        if (needsGrad(c.input())) {
            accumulate(c.input(), convInputGrad(c));
        }
        return null;
    }

    @Override
    public Void batchNorm(Layer.BatchNorm b) {
        if (trains(b.weight()) || trains(b.bias())) {
            batchNormGrad(b);
        } else if (needsGrad(b.input())) {
            frozenBatchNormGrad(b);
        }
        return null;
    }

    /**
     * A frozen BN normalises with its running statistics, a per-channel affine map, so dx = dy·γ/√(var + ε):
     * the scale is written once from the frozen values.
     */
    private void frozenBatchNormGrad(Layer.BatchNorm b) {
        int c = b.input().channels();
        String std = g.op("Sqrt", "bnf_std", new String[] {
            g.op("Add", "bnf_vareps", new String[] {stats.get(b.runningVar()), g.scalar((float) Layer.BatchNorm.EPSILON)
            })
        });
        String scale = g.op("Div", "bnf_scale", new String[] {params.get(b.weight()), std});
        String scale4 = g.op("Reshape", "bnf_scale4", new String[] {scale, g.ints(1, c, 1, 1)});
        accumulate(b.input(), g.op("Mul", "bnf_dx", new String[] {dy, scale4}));
    }

    @Override
    public Void relu(Layer.Relu r) {
        accumulate(r.input(), g.op("Mul", "relu_grad", new String[] {dy, positive(forward.value(r.output()))}));
        return null;
    }

    @Override
    public Void maxPool(Layer.MaxPool m) {
        if (needsGrad(m.input())) {
            maxPoolGrad(m);
        }
        return null;
    }

    @Override
    public Void add(Layer.Add a) {
        accumulate(a.left(), dy);
        accumulate(a.right(), dy);
        return null;
    }

    @Override
    public Void zeroPadShortcut(Layer.ZeroPadShortcut z) {
        if (needsGrad(z.input())) {
            zeroPadShortcutGrad(z);
        }
        return null;
    }

    @Override
    public Void globalAvgPool(Layer.GlobalAvgPool p) {
        Activation in = p.input();
        if (needsGrad(in)) {
            String scaled = g.op("Mul", "gap_grad", new String[] {dy, g.scalar(1f / (in.height() * in.width()))});
            // A constant target shape (broadcast over N and C) rather than Shape(x): ONNX Runtime's shape
            // inference then keeps the symbolic N for every gradient below, which its memory planner needs to
            // reuse buffers (unknown dimensions never match, so nothing would be reused).
            accumulate(in, g.op("Expand", "gap_expand", new String[] {scaled, g.ints(1, 1, in.height(), in.width())}));
        }
        return null;
    }

    @Override
    public Void fullyConnected(Layer.FullyConnected f) {
        fullyConnectedGrad(f);
        return null;
    }

    private void fullyConnectedGrad(Layer.FullyConnected f) {
        String dy2 = g.op("Flatten", "fc_dy", new String[] {dy}, "axis", 1);
        String x = g.op("Flatten", "fc_x", new String[] {forward.value(f.input())}, "axis", 1);
        if (trains(f.weight())) {
            paramGrads.put(f.weight(), g.op("Gemm", "fc_dw", new String[] {dy2, x}, "transA", 1));
        }
        if (trains(f.bias())) {
            paramGrads.put(f.bias(), g.op("ReduceSum", "fc_db", new String[] {dy2, g.ints(0)}, "keepdims", 0));
        }
        if (needsGrad(f.input())) {
            String dx = g.op("MatMul", "fc_dx", new String[] {dy2, params.get(f.weight())});
            Activation in = f.input();
            // A constant shape, 0 copying N: keeps the symbolic batch dimension (see globalAvgPool).
            accumulate(
                    in,
                    g.op("Reshape", "fc_dx4d", new String[] {dx, g.ints(0, in.channels(), in.height(), in.width())}));
        }
    }

    /**
     * Training-mode BN with xc = x − μ, M = N·H·W: dβ = Σdy, dγ = invstd·Σdy·xc, and
     * dx = a·dy + b·xc + c with per-channel a = γ·invstd, b = −a·invstd²·Σ(dy·xc)/M, c = −a·dβ/M (the
     * usual γ·invstd·(dy − mean(dy) − x̂·mean(dy·x̂)) with the factors folded, so that four passes touch the
     * full tensor).
     */
    private void batchNormGrad(Layer.BatchNorm b) {
        Activation in = b.input();
        int c = in.channels();
        String xc = forward.centred(b);
        String invStd = forward.invStd(b);
        String scale = forward.scale(b);
        String axes = g.ints(0, 2, 3);
        String dBeta = g.op("ReduceSum", "bn_dbeta", new String[] {dy, axes}, "keepdims", 1);
        String dyXc = g.op(
                "ReduceSum",
                "bn_dyxc",
                new String[] {g.op("Mul", "bn_dyxc_full", new String[] {dy, xc}), axes},
                "keepdims",
                1);
        String dGamma = g.op("Mul", "bn_dgamma", new String[] {dyXc, invStd});
        if (trains(b.weight())) {
            paramGrads.put(b.weight(), g.op("Reshape", "bn_dgamma_c", new String[] {dGamma, g.ints(c)}));
        }
        if (trains(b.bias())) {
            paramGrads.put(b.bias(), g.op("Reshape", "bn_dbeta_c", new String[] {dBeta, g.ints(c)}));
        }
        if (!needsGrad(in)) {
            return;
        }
        String invCount = g.op("Reciprocal", "bn_invm", new String[] {
            g.op("Mul", "bn_m", new String[] {batchSize, g.scalar((float) in.height() * in.width())})
        });
        String aInvM = g.op("Mul", "bn_ainvm", new String[] {scale, invCount});
        String bCoef = g.op("Neg", "bn_b", new String[] {
            g.op("Mul", "bn_b_pos", new String[] {
                g.op("Mul", "bn_ainvm_dyxc", new String[] {aInvM, dyXc}),
                g.op("Mul", "bn_invvar", new String[] {invStd, invStd})
            })
        });
        String cCoef = g.op("Neg", "bn_c", new String[] {g.op("Mul", "bn_c_pos", new String[] {aInvM, dBeta})});
        String first = g.op("Mul", "bn_dx_dy", new String[] {dy, scale});
        // b·xc + c as inference-mode BatchNormalization with mean 0 and variance 1 − ε (so that √(var + ε) is
        // exactly 1 in float32): one pass where Mul and Add would be two.
        String shape1 = g.ints(c);
        String[] zeroMeanUnitVar = unitMoments(c);
        String second = g.op(
                "BatchNormalization",
                "bn_dx_xc",
                new String[] {
                    xc,
                    g.op("Reshape", "bn_b_c", new String[] {bCoef, shape1}),
                    g.op("Reshape", "bn_c_c", new String[] {cCoef, shape1}),
                    zeroMeanUnitVar[0],
                    zeroMeanUnitVar[1]
                },
                "epsilon",
                (float) Layer.BatchNorm.EPSILON);
        accumulate(in, g.op("Add", "bn_dx", new String[] {first, second}));
    }

    /**
     * Convolution, input gradient: a convolution with the flipped weight (stride 1), a 1×1 convolution
     * scattered back to the strided positions (1×1, stride s), or a ConvTranspose (k×k, stride s). The weight
     * gradient is {@link ConvWeightGradients}'.
     */
    private String convInputGrad(Layer.Conv c) {
        int k = c.kernel();
        int s = c.stride();
        int p = c.padding();
        if (s == 1 && p <= k - 1) {
            return convInputGradStride1(c, dy);
        } else if (k == 1 && p == 0) {
            return scatterStrided(convInputGradStride1(c, dy), c.input(), s);
        }
        return convInputGradTransposed(c, dy);
    }

    /**
     * Stride 1: the input gradient is an ordinary convolution of dy with the weight transposed to
     * [Ci, Co/g, k, k] and flipped in space, padding k−1−p. ONNX Runtime's Conv ran this about 1.6× faster
     * than the equivalent ConvTranspose. For a 1×1 kernel with stride s the same 1×1 convolution gives the
     * gradient at the positions the stride read, which {@link #scatterStrided} then spreads out.
     */
    private String convInputGradStride1(Layer.Conv c, String dy) {
        int k = c.kernel();
        int p = c.padding();
        int groups = c.groups();
        int ci = c.input().channels();
        int co = c.output().channels();
        String w = params.get(c.weight());
        String swapped;
        if (groups == 1) {
            swapped = g.op("Transpose", "convt_w", new String[] {w}, "perm", new int[] {1, 0, 2, 3});
        } else {
            String w5 = g.op("Reshape", "convt_w5", new String[] {w, g.ints(groups, co / groups, ci / groups, k, k)});
            String t5 = g.op("Transpose", "convt_wt", new String[] {w5}, "perm", new int[] {0, 2, 1, 3, 4});
            swapped = g.op("Reshape", "convt_w", new String[] {t5, g.ints(ci, co / groups, k, k)});
        }
        String flipped = k == 1
                ? swapped
                : g.op("Slice", "convt_flip", new String[] {
                    swapped, g.ints(-1, -1), g.ints(Long.MIN_VALUE, Long.MIN_VALUE), g.ints(2, 3), g.ints(-1, -1)
                });
        int q = k - 1 - p;
        return g.op(
                "Conv",
                "conv_dx",
                new String[] {dy, flipped},
                "kernel_shape",
                new int[] {k, k},
                "pads",
                new int[] {q, q, q, q},
                "group",
                groups);
    }

    private String convInputGradTransposed(Layer.Conv c, String dy) {
        return transposedWindow(
                "conv_dx", dy, params.get(c.weight()), c.input(), c.kernel(), c.stride(), c.padding(), c.groups());
    }

    /**
     * The transpose of a k×k window moved with stride s and padding p over {@code in}: a ConvTranspose whose
     * output_padding, (H + 2p − k) mod s, recovers the rows and columns the stride skipped.
     */
    private String transposedWindow(String prefix, String x, String w, Activation in, int k, int s, int p, int groups) {
        return g.op(
                "ConvTranspose",
                prefix,
                new String[] {x, w},
                "kernel_shape",
                new int[] {k, k},
                "strides",
                new int[] {s, s},
                "pads",
                new int[] {p, p, p, p},
                "output_padding",
                new int[] {Math.floorMod(in.height() + 2 * p - k, s), Math.floorMod(in.width() + 2 * p - k, s)},
                "group",
                groups);
    }

    /** 1 where {@code y > 0}, else 0, as floats: Greater, Cast and Mul ran twice as fast as Where. */
    private String positive(String y) {
        return asFloat(g.op("Greater", "relu_mask", new String[] {y, g.scalar(0f)}));
    }

    private String asFloat(String mask) {
        return g.op("Cast", "mask_f", new String[] {mask}, "to", (long) Onnx.TensorProto.DataType.FLOAT_VALUE);
    }

    /** Per channel count: the constant mean 0 and variance 1 − ε that make BatchNormalization a plain affine map. */
    private String[] unitMoments(int channels) {
        return unitMoments.computeIfAbsent(channels, c -> {
            float[] zeros = new float[c];
            float[] ones = new float[c];
            Arrays.fill(ones, 1f - (float) Layer.BatchNorm.EPSILON);
            return new String[] {g.floats("bn_zero", new int[] {c}, zeros), g.floats("bn_unitvar", new int[] {c}, ones)
            };
        });
    }

    /**
     * The gradient of a stride-{@code s} subsampling: {@code d} [N, C, Ho, Wo] goes back to positions (s·i, s·j)
     * of an [N, C, H, W] tensor, zeros elsewhere. That is a depthwise ConvTranspose with a 1×1 kernel of ones
     * (exact: every output is one input times 1, or 0); output_padding makes up odd sizes. Measured against
     * the alternatives on ONNX Runtime's CPU provider: a 6-D Pad of [N, C, Ho, 1, Wo, 1] or a broadcast Mul
     * with a one-hot [s, 1, s] pattern took 4–7× as long.
     */
    private String scatterStrided(String d, Activation in, int s) {
        int c = in.channels();
        String ones = scatterKernels.computeIfAbsent(c, n -> {
            float[] values = new float[n];
            Arrays.fill(values, 1f);
            return g.floats("scatter_ones", new int[] {n, 1, 1, 1}, values);
        });
        return transposedWindow("scatter", d, ones, in, 1, s, 0, c);
    }

    /**
     * Max-pool without the (slow) Indices output: for each window offset, compare the shifted input with
     * the pooled maximum; the first offset in row-major window order that attains the maximum takes the
     * gradient, as in PyTorch. A ConvTranspose with one-hot depthwise kernels scatters the k² gradient
     * planes back to their input positions, summing where windows overlap.
     */
    private void maxPoolGrad(Layer.MaxPool m) {
        Activation in = m.input();
        Activation out = m.output();
        int k = m.kernel();
        int s = m.stride();
        int p = m.padding();
        int c = in.channels();
        String x = forward.value(in);
        String y = forward.value(out);
        String xp = p > 0
                ? g.op("Pad", "pool_xpad", new String[] {
                    x, g.ints(0, 0, p, p, 0, 0, p, p), g.scalar(Float.NEGATIVE_INFINITY)
                })
                : x;
        String claimed = null;
        String[] planes = new String[k * k];
        WindowShifts shifts = new WindowShifts(g, xp, k, s, out, 2);
        for (int kh = 0; kh < k; kh++) {
            for (int kw = 0; kw < k; kw++) {
                String shifted = shifts.at(kh, kw);
                String hit = g.op("Equal", "pool_hit", new String[] {shifted, y});
                String first;
                if (claimed == null) {
                    first = hit;
                    claimed = hit;
                } else {
                    first = g.op(
                            "And", "pool_first", new String[] {hit, g.op("Not", "pool_free", new String[] {claimed})});
                    claimed = g.op("Or", "pool_claimed", new String[] {claimed, hit});
                }
                String plane = g.op("Mul", "pool_plane", new String[] {dy, asFloat(first)});
                planes[kh * k + kw] = g.op("Unsqueeze", "pool_plane5", new String[] {plane, g.ints(2)});
            }
        }
        String stacked = k * k == 1 ? planes[0] : g.op("Concat", "pool_stack", planes, "axis", 2);
        String flat = g.op(
                "Reshape", "pool_planes", new String[] {stacked, g.ints(0, (long) c * k * k, out.height(), out.width())
                });
        float[] oneHot = new float[c * k * k * k * k];
        for (int ch = 0; ch < c; ch++) {
            for (int o = 0; o < k * k; o++) {
                oneHot[(ch * k * k + o) * k * k + o] = 1f;
            }
        }
        String kernel = g.floats("pool_onehot", new int[] {c * k * k, 1, k, k}, oneHot);
        accumulate(in, transposedWindow("pool_dx", flat, kernel, in, k, s, p, c));
    }

    /** Option-A shortcut: keep the gradient of the input's own channels and put it back on the strided positions. */
    private void zeroPadShortcutGrad(Layer.ZeroPadShortcut z) {
        Activation in = z.input();
        Activation out = z.output();
        String d = dy;
        if (out.channels() > in.channels()) {
            d = g.op("Slice", "short_keep", new String[] {d, g.ints(0), g.ints(in.channels()), g.ints(1)});
        }
        int s = z.stride();
        if (s > 1) {
            d = scatterStrided(d, in, s);
        }
        accumulate(in, d);
    }
}
