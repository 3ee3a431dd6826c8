package dev.resnetdsl.runtime.testing;

import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately naive evaluation-mode forward pass in plain Java (double accumulation), written from the
 * layer definitions and independent of the ONNX exporter, so exporter tests compare against it.
 */
public final class ReferenceForward {
    private ReferenceForward() {}

    /** Logits [N, classes] of {@code net} for {@code input} [N, C, H, W]. */
    public static float[][] logits(Network net, Map<String, Tensor> w, Tensor input) {
        int n = input.dim(0);
        float[][] result = new float[n][];
        int per = (int) net.input().elements();
        for (int b = 0; b < n; b++) {
            Map<String, double[]> values = new HashMap<>();
            double[] x = new double[per];
            for (int i = 0; i < per; i++) {
                x[i] = input.floats()[b * per + i];
            }
            values.put("input", x);
            double[] last = null;
            for (Layer layer : net.layers()) {
                last = eval(layer, w, values);
                values.put(layer.output().name(), last);
            }
            result[b] = new float[last.length];
            for (int i = 0; i < last.length; i++) {
                result[b][i] = (float) last[i];
            }
        }
        return result;
    }

    private static double[] eval(Layer layer, Map<String, Tensor> w, Map<String, double[]> values) {
        var out = layer.output();
        double[] y = new double[(int) out.elements()];
        if (layer instanceof Layer.Conv c) {
            double[] x = values.get(c.input().name());
            float[] k = w.get(c.weight()).floats();
            int cin = c.input().channels(),
                    h = c.input().height(),
                    wd = c.input().width();
            int cpg = cin / c.groups(), opg = out.channels() / c.groups(), ks = c.kernel();
            for (int o = 0; o < out.channels(); o++) {
                int g = o / opg;
                for (int oy = 0; oy < out.height(); oy++) {
                    for (int ox = 0; ox < out.width(); ox++) {
                        double s = 0;
                        for (int ci = 0; ci < cpg; ci++) {
                            for (int ky = 0; ky < ks; ky++) {
                                for (int kx = 0; kx < ks; kx++) {
                                    int iy = oy * c.stride() - c.padding() + ky;
                                    int ix = ox * c.stride() - c.padding() + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        s += x[((g * cpg + ci) * h + iy) * wd + ix]
                                                * k[((o * cpg + ci) * ks + ky) * ks + kx];
                                    }
                                }
                            }
                        }
                        y[(o * out.height() + oy) * out.width() + ox] = s;
                    }
                }
            }
        } else if (layer instanceof Layer.BatchNorm bn) {
            double[] x = values.get(bn.input().name());
            int hw = out.height() * out.width();
            for (int ch = 0; ch < out.channels(); ch++) {
                double scale = w.get(bn.weight()).floats()[ch]
                        / Math.sqrt(w.get(bn.runningVar()).floats()[ch] + 1e-5);
                double mean = w.get(bn.runningMean()).floats()[ch];
                double beta = w.get(bn.bias()).floats()[ch];
                for (int i = ch * hw; i < (ch + 1) * hw; i++) {
                    y[i] = (x[i] - mean) * scale + beta;
                }
            }
        } else if (layer instanceof Layer.Relu r) {
            double[] x = values.get(r.input().name());
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(0, x[i]);
            }
        } else if (layer instanceof Layer.MaxPool m) {
            double[] x = values.get(m.input().name());
            int h = m.input().height(), wd = m.input().width();
            for (int ch = 0; ch < out.channels(); ch++) {
                for (int oy = 0; oy < out.height(); oy++) {
                    for (int ox = 0; ox < out.width(); ox++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < m.kernel(); ky++) {
                            for (int kx = 0; kx < m.kernel(); kx++) {
                                int iy = oy * m.stride() - m.padding() + ky;
                                int ix = ox * m.stride() - m.padding() + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                    best = Math.max(best, x[(ch * h + iy) * wd + ix]);
                                }
                            }
                        }
                        y[(ch * out.height() + oy) * out.width() + ox] = best;
                    }
                }
            }
        } else if (layer instanceof Layer.Add a) {
            double[] l = values.get(a.left().name()), r = values.get(a.right().name());
            for (int i = 0; i < y.length; i++) {
                y[i] = l[i] + r[i];
            }
        } else if (layer instanceof Layer.ZeroPadShortcut z) {
            double[] x = values.get(z.input().name());
            int h = z.input().height(), wd = z.input().width();
            for (int ch = 0; ch < z.input().channels(); ch++) {
                for (int oy = 0; oy < out.height(); oy++) {
                    for (int ox = 0; ox < out.width(); ox++) {
                        y[(ch * out.height() + oy) * out.width() + ox] =
                                x[(ch * h + oy * z.stride()) * wd + ox * z.stride()];
                    }
                }
            }
        } else if (layer instanceof Layer.GlobalAvgPool p) {
            double[] x = values.get(p.input().name());
            int hw = p.input().height() * p.input().width();
            for (int ch = 0; ch < out.channels(); ch++) {
                double s = 0;
                for (int i = ch * hw; i < (ch + 1) * hw; i++) {
                    s += x[i];
                }
                y[ch] = s / hw;
            }
        } else if (layer instanceof Layer.FullyConnected f) {
            double[] x = values.get(f.input().name());
            float[] k = w.get(f.weight()).floats();
            float[] bias = w.get(f.bias()).floats();
            for (int o = 0; o < y.length; o++) {
                double s = bias[o];
                for (int i = 0; i < x.length; i++) {
                    s += k[o * x.length + i] * x[i];
                }
                y[o] = s;
            }
        } else {
            throw new IllegalStateException("no reference for " + layer);
        }
        return y;
    }
}
