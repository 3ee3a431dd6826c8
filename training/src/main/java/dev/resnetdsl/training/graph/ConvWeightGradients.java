package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;

/**
 * The gradient of a convolution's weight, dL/dW, written in one of three matrix-product layouts chosen by
 * shape ({@link #of}); each was measured against the others on this project's reference machine, and the
 * numbers are in the comments. Standard ONNX has no strided views, so each layout is a trade between the
 * copies it needs to line positions up and the size of the products it gets.
 */
final class ConvWeightGradients {
    private final OnnxGraph g;
    private final SavedValues forward;

    ConvWeightGradients(OnnxGraph g, SavedValues forward) {
        this.g = g;
        this.forward = forward;
    }

    /** dL/dW of {@code c} in the weight's own shape [Co, Ci/groups, k, k], given dL/dY {@code dy}. */
    String of(Layer.Conv c, String dy) {
        Activation out = c.output();
        if (c.groups() == 1 && c.kernel() == 1 && c.padding() == 0) {
            return weightGrad1x1(c, dy);
        } else if (c.groups() == 1 && (long) out.height() * out.width() >= PER_IMAGE_MIN_POSITIONS) {
            return weightGradPerImage(c, dy);
        }
        return weightGradPerOffset(c, dy);
    }

    /**
     * Output positions per image from which the per-image weight gradient beats the per-offset one. Measured
     * on this project's reference machine (2 cores, AVX2): per image won at 32×32 and 56×56, broke even at
     * 28×28 and lost at 16×16 and below, where its k² products per image become too small.
     */
    static final int PER_IMAGE_MIN_POSITIONS = 1024;

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
        WindowShifts shifts = new WindowShifts(g, xp, k, c.stride(), c.output(), 2);
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
}
