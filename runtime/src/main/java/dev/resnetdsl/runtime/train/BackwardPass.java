package dev.resnetdsl.runtime.train;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.onnx.proto.Onnx;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the backward pass of a network into an {@link OnnxGraph}: given the gradient of the loss with
 * respect to the logits, the gradient of every trainable parameter, in standard operators only. Layers
 * are visited in reverse execution order; gradients of an activation read by several layers are
 * summed.
 */
final class BackwardPass {
    private final OnnxGraph g;
    private final ForwardPass forward;
    private final Map<String, String> params;
    private final String batchSize;
    private final Map<String, String> activationGrads = new HashMap<>();
    private final Map<Integer, String[]> unitMoments = new HashMap<>();
    private final Map<Integer, String> scatterKernels = new HashMap<>();
    /** Parameter name → gradient value in the parameter's shape. */
    final Map<String, String> paramGrads = new HashMap<>();

    BackwardPass(OnnxGraph g, ForwardPass forward, Map<String, String> params, String batchSize) {
        this.g = g;
        this.forward = forward;
        this.params = params;
        this.batchSize = batchSize;
    }

    /** Runs the backward pass over {@code layers} from the gradient of their last output. */
    void run(List<Layer> layers, String logitsGrad) {
        activationGrads.put(layers.get(layers.size() - 1).output().name(), logitsGrad);
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            String dy = activationGrads.get(layer.output().name());
            if (dy == null) {
                continue; // does not reach the loss
            }
            layer(layer, dy);
        }
    }

    private void accumulate(Activation a, String grad) {
        if (a.name().equals("input")) {
            return;
        }
        activationGrads.merge(a.name(), grad, (old, add) -> g.op("Add", "grad_sum", new String[] {old, add}));
    }

    private boolean needsGrad(Activation a) {
        return !a.name().equals("input");
    }

    private void layer(Layer layer, String dy) {
        if (layer instanceof Layer.Conv c) {
            conv(c, dy);
        } else if (layer instanceof Layer.BatchNorm b) {
            batchNorm(b, dy);
        } else if (layer instanceof Layer.Relu r) {
            accumulate(r.input(), g.op("Mul", "relu_grad", new String[] {dy, positive(forward.value(r.output()))}));
        } else if (layer instanceof Layer.MaxPool m) {
            maxPool(m, dy);
        } else if (layer instanceof Layer.Add a) {
            accumulate(a.left(), dy);
            accumulate(a.right(), dy);
        } else if (layer instanceof Layer.ZeroPadShortcut z) {
            zeroPadShortcut(z, dy);
        } else if (layer instanceof Layer.GlobalAvgPool p) {
            Activation in = p.input();
            String scaled = g.op("Mul", "gap_grad", new String[] {dy, g.scalar(1f / (in.height() * in.width()))});
            String shape = g.op("Shape", "gap_shape", new String[] {forward.value(in)});
            accumulate(in, g.op("Expand", "gap_expand", new String[] {scaled, shape}));
        } else if (layer instanceof Layer.FullyConnected f) {
            fullyConnected(f, dy);
        } else {
            throw new IllegalStateException("unknown layer " + layer);
        }
    }

    private void fullyConnected(Layer.FullyConnected f, String dy) {
        String dy2 = g.op("Flatten", "fc_dy", new String[] {dy}, "axis", 1);
        String x = g.op("Flatten", "fc_x", new String[] {forward.value(f.input())}, "axis", 1);
        paramGrads.put(f.weight(), g.op("Gemm", "fc_dw", new String[] {dy2, x}, "transA", 1));
        paramGrads.put(f.bias(), g.op("ReduceSum", "fc_db", new String[] {dy2, g.ints(0)}, "keepdims", 0));
        if (needsGrad(f.input())) {
            String dx = g.op("MatMul", "fc_dx", new String[] {dy2, params.get(f.weight())});
            String shape = g.op("Shape", "fc_xshape", new String[] {forward.value(f.input())});
            accumulate(f.input(), g.op("Reshape", "fc_dx4d", new String[] {dx, shape}));
        }
    }

    /**
     * Training-mode BN with xc = x − μ, M = N·H·W: dβ = Σdy, dγ = invstd·Σdy·xc, and
     * dx = a·dy + b·xc + c with per-channel a = γ·invstd, b = −a·invstd²·Σ(dy·xc)/M, c = −a·dβ/M (the
     * usual γ·invstd·(dy − mean(dy) − x̂·mean(dy·x̂)) with the factors folded, so that four passes touch the
     * full tensor).
     */
    private void batchNorm(Layer.BatchNorm b, String dy) {
        Activation in = b.input();
        int c = in.channels();
        String xc = forward.bnCentred.get(b.name());
        String invStd = forward.bnInvStd.get(b.name());
        String scale = forward.bnScale.get(b.name());
        String axes = g.ints(0, 2, 3);
        String dBeta = g.op("ReduceSum", "bn_dbeta", new String[] {dy, axes}, "keepdims", 1);
        String dyXc = g.op(
                "ReduceSum",
                "bn_dyxc",
                new String[] {g.op("Mul", "bn_dyxc_full", new String[] {dy, xc}), axes},
                "keepdims",
                1);
        String dGamma = g.op("Mul", "bn_dgamma", new String[] {dyXc, invStd});
        paramGrads.put(b.weight(), g.op("Reshape", "bn_dgamma_c", new String[] {dGamma, g.ints(c)}));
        paramGrads.put(b.bias(), g.op("Reshape", "bn_dbeta_c", new String[] {dBeta, g.ints(c)}));
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
     * Convolution: the weight gradient by one of three matrix-product layouts (chosen by shape, below), the
     * input gradient by a convolution with the flipped weight (stride 1), a 1×1 convolution scattered back
     * to the strided positions (1×1, stride s), or a ConvTranspose (k×k, stride s).
     */
    private void conv(Layer.Conv c, String dy) {
        Activation in = c.input();
        Activation out = c.output();
        int k = c.kernel();
        int s = c.stride();
        int p = c.padding();
        String dw;
        if (c.groups() == 1 && k == 1 && p == 0) {
            dw = weightGrad1x1(c, dy);
        } else if (c.groups() == 1 && (long) out.height() * out.width() >= PER_IMAGE_MIN_POSITIONS) {
            dw = weightGradPerImage(c, dy);
        } else {
            dw = weightGradPerOffset(c, dy);
        }
        paramGrads.put(c.weight(), dw);
        if (!needsGrad(in)) {
            return;
        }
        String dx;
        if (s == 1 && p <= k - 1) {
            dx = convInputGradStride1(c, dy);
        } else if (k == 1 && p == 0) {
            dx = scatterStrided(convInputGradStride1(c, dy), in, s);
        } else {
            dx = convInputGradTransposed(c, dy);
        }
        accumulate(in, dx);
    }

    /**
     * Output positions per image from which the per-image weight gradient beats the per-offset one. Measured
     * on this project's reference machine (2 cores, AVX2): per image won at 32×32 and 56×56, broke even at
     * 28×28 and lost at 16×16 and below, where its k² products per image become too small.
     */
    private static final int PER_IMAGE_MIN_POSITIONS = 1024;

    /**
     * 1×1, no padding: one matrix product, dY [Co, N·Ho·Wo] × Xᵀ with X as [Ci, N·Ho·Wo] (every s-th row and
     * column for stride s). Moving the channel axis to the front copies whole image planes, which ONNX
     * Runtime's Transpose does about twice as fast as the N×H×W×C layout.
     */
    private String weightGrad1x1(Layer.Conv c, String dy) {
        Activation in = c.input();
        int s = c.stride();
        String x = forward.value(in);
        String xs = s == 1
                ? x
                : g.op("Slice", "conv_xsub", new String[] {
                    x, g.ints(0, 0), g.ints(in.height(), in.width()), g.ints(2, 3), g.ints(s, s)
                });
        String xT = g.op("Transpose", "conv_xt", new String[] {xs}, "perm", new int[] {1, 0, 2, 3});
        String dyT = g.op("Transpose", "conv_dyt", new String[] {dy}, "perm", new int[] {1, 0, 2, 3});
        int co = c.output().channels();
        int ci = in.channels();
        String dw = g.op(
                "Gemm",
                "conv_dw",
                new String[] {
                    g.op("Reshape", "conv_dym", new String[] {dyT, g.ints(co, -1)}),
                    g.op("Reshape", "conv_xm", new String[] {xT, g.ints(ci, -1)})
                },
                "transB",
                1);
        return g.op("Reshape", "conv_dw4d", new String[] {dw, g.ints(co, ci, 1, 1)});
    }

    /**
     * Large images, no groups: per kernel offset, a batched product over the N images, dY_n [Co, Ho·Wo] ×
     * (shifted X_n [Ci, Ho·Wo])ᵀ, summed over n at the end. Both operands stay in N×C×H×W order (ONNX Runtime
     * folds the inner transpose into the product), so no activation is transposed at all, and the N products
     * spread over the threads.
     */
    private String weightGradPerImage(Layer.Conv c, String dy) {
        Activation in = c.input();
        int k = c.kernel();
        int p = c.padding();
        int ci = in.channels();
        int co = c.output().channels();
        String x = forward.value(in);
        String xp = p > 0 ? g.op("Pad", "conv_xpad", new String[] {x, g.ints(0, 0, p, p, 0, 0, p, p)}) : x;
        String dy3 = g.op("Reshape", "conv_dy3", new String[] {dy, g.ints(0, co, -1)});
        String[] perOffset = new String[k * k];
        Shifts shifts = new Shifts(xp, k, c.stride(), c.output(), 2);
        for (int kh = 0; kh < k; kh++) {
            for (int kw = 0; kw < k; kw++) {
                String shifted = shifts.at(kh, kw);
                String x3 = g.op("Reshape", "conv_x3", new String[] {shifted, g.ints(0, ci, -1)});
                String xT = g.op("Transpose", "conv_x3t", new String[] {x3}, "perm", new int[] {0, 2, 1});
                String dwk = g.op("MatMul", "conv_dwn", new String[] {dy3, xT}); // [N, Co, Ci]
                perOffset[kh * k + kw] = g.op("Unsqueeze", "conv_dwn1", new String[] {dwk, g.ints(-1)});
            }
        }
        String stacked = k == 1 ? perOffset[0] : g.op("Concat", "conv_dwn_all", perOffset, "axis", -1);
        String dw = g.op("ReduceSum", "conv_dw", new String[] {stacked, g.ints(0)}, "keepdims", 0);
        return g.op("Reshape", "conv_dw4d", new String[] {dw, g.ints(co, ci, k, k)});
    }

    /**
     * The general case (and the faster one for small images): per kernel offset one matrix product of the
     * output gradient [Co, N·Ho·Wo] with the input positions that offset reads, [N·Ho·Wo, Ci] (per group:
     * [g, Co/g, ·] × [g, ·, Ci/g]). Those positions are picked from the padded input in N×H×W×C order by one
     * Gather along the flattened image (constant indices, any stride), which copies whole channel vectors
     * and runs on all threads, where a strided Slice copies on one; it took the ResNet-20 step 6% faster.
     * Stacking all k² offsets into one im2col tensor first costs a k²×-input copy before a single product
     * and was slower.
     */
    private String weightGradPerOffset(Layer.Conv c, String dy) {
        Activation in = c.input();
        int k = c.kernel();
        int s = c.stride();
        int p = c.padding();
        int groups = c.groups();
        int ci = in.channels();
        int co = c.output().channels();
        String x = forward.value(in);
        String xp = p > 0 ? g.op("Pad", "conv_xpad", new String[] {x, g.ints(0, 0, p, p, 0, 0, p, p)}) : x;
        String nhwc = g.op("Transpose", "conv_nhwc", new String[] {xp}, "perm", new int[] {0, 2, 3, 1});
        int kk = k * k;
        int cig = ci / groups;
        int cog = co / groups;
        String dyT = g.op("Transpose", "conv_dyt", new String[] {dy}, "perm", new int[] {1, 0, 2, 3});
        String dyM = groups == 1
                ? g.op("Reshape", "conv_dym", new String[] {dyT, g.ints(co, -1)})
                : g.op("Reshape", "conv_dym", new String[] {dyT, g.ints(groups, cog, -1)});
        String[] perOffset = new String[kk];
        int wp = in.width() + 2 * p;
        String positions = g.op(
                "Reshape", "conv_positions", new String[] {nhwc, g.ints(0, (long) (in.height() + 2 * p) * wp, ci)});
        for (int kh = 0; kh < k; kh++) {
            for (int kw = 0; kw < k; kw++) {
                String shifted = k == 1 && s == 1 && p == 0
                        ? nhwc
                        : g.op(
                                "Gather",
                                "conv_shift",
                                new String[] {positions, windowPositions(c.output(), wp, kh, kw, s)},
                                "axis",
                                1);
                String dwk;
                if (groups == 1) {
                    String plane = g.op("Reshape", "conv_plane", new String[] {shifted, g.ints(-1, ci)});
                    dwk = g.op("MatMul", "conv_dwk", new String[] {dyM, plane}); // [Co, Ci]
                } else {
                    String plane = g.op(
                            "Transpose",
                            "conv_planeg",
                            new String[] {g.op("Reshape", "conv_plane", new String[] {shifted, g.ints(-1, groups, cig)})
                            },
                            "perm",
                            new int[] {1, 0, 2}); // [g, M, Ci/g]
                    dwk = g.op("MatMul", "conv_dwk", new String[] {dyM, plane}); // [g, Co/g, Ci/g]
                }
                perOffset[kh * k + kw] = kk == 1 ? dwk : g.op("Unsqueeze", "conv_dwk1", new String[] {dwk, g.ints(-1)});
            }
        }
        String dw = kk == 1 ? perOffset[0] : g.op("Concat", "conv_dw", perOffset, "axis", -1);
        return g.op("Reshape", "conv_dw4d", new String[] {dw, g.ints(co, cig, k, k)});
    }

    /**
     * The row-major positions (y·s + kh)·Wp + (x·s + kw) in a padded Hp×Wp image that kernel offset (kh, kw)
     * reads for the output positions (y, x), as an int64 constant.
     */
    private String windowPositions(Activation out, int wp, int kh, int kw, int s) {
        long[] positions = new long[out.height() * out.width()];
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                positions[y * out.width() + x] = (long) (y * s + kh) * wp + (x * s + kw);
            }
        }
        return g.ints(positions);
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

    /**
     * For each kernel offset (kh, kw) of a k×k window moved with stride s: rows kh, kh+s, … and columns kw,
     * kw+s, … (one per output position) of a tensor whose height and width are the axes {@code rowAxis} and
     * {@code rowAxis + 1}. ONNX Runtime's Slice copies element by element when the step is not 1, so when
     * windows overlap (k > s) the tensor is first split into its s² phases (every s-th row and column from
     * each start) with s² strided slices, and every offset is then a step-1 slice of one phase, copied row by
     * row: s² slow copies instead of k².
     */
    private final class Shifts {
        private final String t;
        private final int s;
        private final Activation out;
        private final int rowAxis;
        private final String[][] phases;

        Shifts(String t, int k, int s, Activation out, int rowAxis) {
            this.t = t;
            this.s = s;
            this.out = out;
            this.rowAxis = rowAxis;
            this.phases = s > 1 && k > s ? new String[s][s] : null;
        }

        String at(int kh, int kw) {
            String axes = g.ints(rowAxis, rowAxis + 1);
            if (phases == null) {
                return g.op("Slice", "shift", new String[] {
                    t,
                    g.ints(kh, kw),
                    g.ints(kh + (long) s * (out.height() - 1) + 1, kw + (long) s * (out.width() - 1) + 1),
                    axes,
                    g.ints(s, s)
                });
            }
            int a = kh % s;
            int b = kw % s;
            if (phases[a][b] == null) {
                phases[a][b] = g.op("Slice", "phase", new String[] {
                    t, g.ints(a, b), g.ints(Long.MAX_VALUE, Long.MAX_VALUE), axes, g.ints(s, s)
                });
            }
            return g.op("Slice", "shift", new String[] {
                phases[a][b], g.ints(kh / s, kw / s), g.ints(kh / s + out.height(), kw / s + out.width()), axes
            });
        }
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
    private void maxPool(Layer.MaxPool m, String dy) {
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
        Shifts shifts = new Shifts(xp, k, s, out, 2);
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
    private void zeroPadShortcut(Layer.ZeroPadShortcut z, String dy) {
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
