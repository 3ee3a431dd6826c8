package dev.resnetdsl.runtime.train;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import java.util.HashMap;
import java.util.Map;

/**
 * A plain double-precision implementation of a network's training-mode forward pass and mean
 * cross-entropy (BN on batch statistics with biased variance), written as directly as possible from the
 * definitions; the reference for finite-difference gradient checks.
 */
final class ReferenceForward {
    private ReferenceForward() {}

    /** Mean softmax cross-entropy; {@code params} is the flat parameter vector in {@code layout}. */
    static double loss(Network net, FlatLayout layout, double[] params, float[] input, long[] labels) {
        int n = labels.length;
        Map<String, double[]> values = new HashMap<>();
        double[] x = new double[input.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = input[i];
        }
        values.put("input", x);
        for (Layer layer : net.layers()) {
            values.put(layer.output().name(), apply(layer, values, layout, params, n));
        }
        double[] logits = values.get(net.output().name());
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

    private static double[] param(FlatLayout layout, double[] params, String name) {
        FlatLayout.Entry e = layout.entry(name);
        double[] out = new double[(int) e.length()];
        System.arraycopy(params, (int) e.offset(), out, 0, out.length);
        return out;
    }

    private static double[] apply(Layer layer, Map<String, double[]> v, FlatLayout layout, double[] p, int n) {
        if (layer instanceof Layer.Conv c) {
            return conv(c, v.get(c.input().name()), param(layout, p, c.weight()), n);
        } else if (layer instanceof Layer.BatchNorm b) {
            return batchNorm(b, v.get(b.input().name()), param(layout, p, b.weight()), param(layout, p, b.bias()), n);
        } else if (layer instanceof Layer.Relu r) {
            double[] x = v.get(r.input().name());
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = Math.max(0, x[i]);
            }
            return y;
        } else if (layer instanceof Layer.MaxPool m) {
            return maxPool(m, v.get(m.input().name()), n);
        } else if (layer instanceof Layer.Add a) {
            double[] l = v.get(a.left().name());
            double[] r = v.get(a.right().name());
            double[] y = new double[l.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = l[i] + r[i];
            }
            return y;
        } else if (layer instanceof Layer.ZeroPadShortcut z) {
            return zeroPad(z, v.get(z.input().name()), n);
        } else if (layer instanceof Layer.GlobalAvgPool g) {
            Activation in = g.input();
            double[] x = v.get(in.name());
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
        } else if (layer instanceof Layer.FullyConnected f) {
            double[] x = v.get(f.input().name());
            double[] w = param(layout, p, f.weight());
            double[] bias = param(layout, p, f.bias());
            int in = (int) f.input().elements();
            int out = f.output().channels();
            double[] y = new double[n * out];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < out; o++) {
                    double s = bias[o];
                    for (int i = 0; i < in; i++) {
                        s += w[o * in + i] * x[b * in + i];
                    }
                    y[b * out + o] = s;
                }
            }
            return y;
        }
        throw new IllegalStateException("unknown layer " + layer);
    }

    private static double[] conv(Layer.Conv c, double[] x, double[] w, int n) {
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

    private static double[] batchNorm(Layer.BatchNorm bn, double[] x, double[] gamma, double[] beta, int n) {
        Activation in = bn.input();
        int c = in.channels();
        int hw = in.height() * in.width();
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < hw; j++) {
                    mean += x[(b * c + ch) * hw + j];
                }
            }
            mean /= (double) n * hw;
            double var = 0;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < hw; j++) {
                    double d = x[(b * c + ch) * hw + j] - mean;
                    var += d * d;
                }
            }
            var /= (double) n * hw;
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

    private static double[] maxPool(Layer.MaxPool m, double[] x, int n) {
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

    private static double[] zeroPad(Layer.ZeroPadShortcut z, double[] x, int n) {
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
}
