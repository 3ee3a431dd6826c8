package dev.resnetdsl.runtime.testing;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.weights.Weights;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A deliberately naive forward pass in plain Java with double accumulation, written as directly as possible
 * from the layer definitions and independent of the ONNX exporter and the training-graph builder, so both are
 * tested against it: evaluation mode ({@link #logits}: BN on running statistics) for exports, training mode
 * ({@link #trainingLoss}: BN on the batch's statistics, biased variance) for finite-difference gradient
 * checks. The one test interpreter of the project.
 */
public final class ReferenceForward implements Layer.Visitor<double[]> {
    private final Function<String, double[]> parameter;
    private final boolean trainingBn;
    private final java.util.function.Predicate<String> frozenBn;
    private final int n;
    private final Map<String, double[]> values = new HashMap<>();

    private ReferenceForward(
            Function<String, double[]> parameter,
            boolean trainingBn,
            java.util.function.Predicate<String> frozenBn,
            int n,
            double[] input) {
        this.parameter = parameter;
        this.trainingBn = trainingBn;
        this.frozenBn = frozenBn;
        this.n = n;
        values.put("input", input);
    }

    /** Evaluation-mode logits [N, classes] for {@code input} [N, C, H, W]. */
    public static float[][] logits(Weights w, Tensor input) {
        return logits(w.network(), w.asMap(), input);
    }

    /** Evaluation-mode logits [N, classes] of {@code net} for {@code input} [N, C, H, W]. */
    public static float[][] logits(Network net, Map<String, Tensor> w, Tensor input) {
        int n = input.dim(0);
        double[] out = run(net, name -> toDouble(w.get(name).floats()), false, bn -> true, input.floats(), n);
        int k = out.length / n;
        float[][] result = new float[n][k];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < k; i++) {
                result[b][i] = (float) out[b * k + i];
            }
        }
        return result;
    }

    /** Mean softmax cross-entropy of a training-mode forward pass over the batch. */
    public static double trainingLoss(Network net, Function<String, double[]> parameter, float[] input, long[] labels) {
        return trainingLoss(net, parameter, input, labels, bn -> false);
    }

    /**
     * Mean softmax cross-entropy of a training-mode forward pass in which the BN layers that {@code frozenBn}
     * names normalise with their running statistics (frozen layers of a fine-tuning run).
     */
    public static double trainingLoss(
            Network net,
            Function<String, double[]> parameter,
            float[] input,
            long[] labels,
            java.util.function.Predicate<String> frozenBn) {
        int n = labels.length;
        double[] logits = run(net, parameter, true, frozenBn, input, n);
        int k = net.classes();
        double total = 0;
        for (int b = 0; b < n; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logits[b * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logits[b * k + c] - max);
            }
            total += -(logits[b * k + (int) labels[b]] - max - Math.log(sum));
        }
        return total / n;
    }

    private static double[] run(
            Network net,
            Function<String, double[]> parameter,
            boolean trainingBn,
            java.util.function.Predicate<String> frozenBn,
            float[] input,
            int n) {
        ReferenceForward f = new ReferenceForward(parameter, trainingBn, frozenBn, n, toDouble(input));
        double[] last = null;
        for (Layer layer : net.layers()) {
            last = layer.accept(f);
            f.values.put(layer.output().name(), last);
        }
        return last;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private double[] in(Activation a) {
        return values.get(a.name());
    }

    @Override
    public double[] conv(Layer.Conv c) {
        double[] x = in(c.input());
        double[] w = parameter.apply(c.weight());
        Activation in = c.input();
        Activation out = c.output();
        int ci = in.channels();
        int co = out.channels();
        int k = c.kernel();
        int s = c.stride();
        int pad = c.padding();
        int cig = ci / c.groups();
        int cog = co / c.groups();
        double[] y = new double[n * co * out.height() * out.width()];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < co; o++) {
                int group = o / cog;
                for (int oh = 0; oh < out.height(); oh++) {
                    for (int ow = 0; ow < out.width(); ow++) {
                        double sum = 0;
                        for (int i = 0; i < cig; i++) {
                            int ch = group * cig + i;
                            for (int kh = 0; kh < k; kh++) {
                                int ih = oh * s + kh - pad;
                                if (ih < 0 || ih >= in.height()) {
                                    continue;
                                }
                                for (int kw = 0; kw < k; kw++) {
                                    int iw = ow * s + kw - pad;
                                    if (iw < 0 || iw >= in.width()) {
                                        continue;
                                    }
                                    sum += w[((o * cig + i) * k + kh) * k + kw]
                                            * x[((b * ci + ch) * in.height() + ih) * in.width() + iw];
                                }
                            }
                        }
                        y[((b * co + o) * out.height() + oh) * out.width() + ow] = sum;
                    }
                }
            }
        }
        return y;
    }

    @Override
    public double[] batchNorm(Layer.BatchNorm bn) {
        double[] x = in(bn.input());
        double[] gamma = parameter.apply(bn.weight());
        double[] beta = parameter.apply(bn.bias());
        int c = bn.input().channels();
        int hw = bn.input().height() * bn.input().width();
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double mean;
            double var;
            if (trainingBn && !frozenBn.test(bn.name())) {
                mean = 0;
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < hw; j++) {
                        mean += x[(b * c + ch) * hw + j];
                    }
                }
                mean /= (double) n * hw;
                var = 0;
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < hw; j++) {
                        double d = x[(b * c + ch) * hw + j] - mean;
                        var += d * d;
                    }
                }
                var /= (double) n * hw;
            } else {
                mean = parameter.apply(bn.runningMean())[ch];
                var = parameter.apply(bn.runningVar())[ch];
            }
            double inv = 1 / Math.sqrt(var + Layer.BatchNorm.EPSILON);
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < hw; j++) {
                    int i = (b * c + ch) * hw + j;
                    y[i] = (x[i] - mean) * inv * gamma[ch] + beta[ch];
                }
            }
        }
        return y;
    }

    @Override
    public double[] relu(Layer.Relu r) {
        double[] x = in(r.input());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(0, x[i]);
        }
        return y;
    }

    @Override
    public double[] maxPool(Layer.MaxPool m) {
        double[] x = in(m.input());
        Activation in = m.input();
        Activation out = m.output();
        int c = in.channels();
        double[] y = new double[n * c * out.height() * out.width()];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int oh = 0; oh < out.height(); oh++) {
                    for (int ow = 0; ow < out.width(); ow++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int kh = 0; kh < m.kernel(); kh++) {
                            for (int kw = 0; kw < m.kernel(); kw++) {
                                int ih = oh * m.stride() + kh - m.padding();
                                int iw = ow * m.stride() + kw - m.padding();
                                if (ih >= 0 && ih < in.height() && iw >= 0 && iw < in.width()) {
                                    best = Math.max(best, x[((b * c + ch) * in.height() + ih) * in.width() + iw]);
                                }
                            }
                        }
                        y[((b * c + ch) * out.height() + oh) * out.width() + ow] = best;
                    }
                }
            }
        }
        return y;
    }

    @Override
    public double[] add(Layer.Add a) {
        double[] l = in(a.left());
        double[] r = in(a.right());
        double[] y = new double[l.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = l[i] + r[i];
        }
        return y;
    }

    @Override
    public double[] zeroPadShortcut(Layer.ZeroPadShortcut z) {
        double[] x = in(z.input());
        Activation in = z.input();
        Activation out = z.output();
        double[] y = new double[n * out.channels() * out.height() * out.width()];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < in.channels(); ch++) {
                for (int oh = 0; oh < out.height(); oh++) {
                    for (int ow = 0; ow < out.width(); ow++) {
                        y[((b * out.channels() + ch) * out.height() + oh) * out.width() + ow] = x[
                                ((b * in.channels() + ch) * in.height() + oh * z.stride()) * in.width()
                                        + ow * z.stride()];
                    }
                }
            }
        }
        return y;
    }

    @Override
    public double[] globalAvgPool(Layer.GlobalAvgPool g) {
        Activation in = g.input();
        double[] x = in(in);
        int hw = in.height() * in.width();
        double[] y = new double[n * in.channels()];
        for (int i = 0; i < y.length; i++) {
            double s = 0;
            for (int j = 0; j < hw; j++) {
                s += x[i * hw + j];
            }
            y[i] = s / hw;
        }
        return y;
    }

    @Override
    public double[] fullyConnected(Layer.FullyConnected f) {
        double[] x = in(f.input());
        double[] w = parameter.apply(f.weight());
        double[] bias = parameter.apply(f.bias());
        int inFeatures = (int) f.input().elements();
        int out = f.output().channels();
        double[] y = new double[n * out];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int i = 0; i < inFeatures; i++) {
                    s += w[o * inFeatures + i] * x[b * inFeatures + i];
                }
                y[b * out + o] = s;
            }
        }
        return y;
    }
}
