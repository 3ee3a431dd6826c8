package dev.resnetdsl.runtime.preprocess;

/**
 * Separable bilinear resampling as PIL's {@code Image.resize(..., BILINEAR)} does it (which torchvision's
 * Resize uses on PIL images): a triangle filter whose support grows with the shrink factor, so downscaling
 * averages over the source pixels instead of skipping them (antialiasing).
 */
public final class Resample {
    private Resample() {}

    /** Resamples one w×h plane to newW×newH. */
    public static float[] bilinear(float[] src, int w, int h, int newW, int newH) {
        float[] horizontal = new float[newW * h];
        Filter fx = Filter.of(w, newW);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < newW; x++) {
                double s = 0;
                for (int k = 0; k < fx.count[x]; k++) {
                    s += fx.weights[x][k] * src[y * w + fx.start[x] + k];
                }
                horizontal[y * newW + x] = toByte(s);
            }
        }
        float[] out = new float[newW * newH];
        Filter fy = Filter.of(h, newH);
        for (int y = 0; y < newH; y++) {
            for (int x = 0; x < newW; x++) {
                double s = 0;
                for (int k = 0; k < fy.count[y]; k++) {
                    s += fy.weights[y][k] * horizontal[(fy.start[y] + k) * newW + x];
                }
                out[y * newW + x] = toByte(s);
            }
        }
        return out;
    }

    /** PIL keeps 8-bit images in 8 bits between the two passes: round and clamp like it. */
    private static float toByte(double v) {
        return (float) Math.min(255, Math.max(0, Math.floor(v + 0.5)));
    }

    /** Per output index: first source index, number of taps and normalised weights. */
    private record Filter(int[] start, int[] count, double[][] weights) {
        static Filter of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle filter's support is 1
            int[] start = new int[out];
            int[] count = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) (center - support + 0.5));
                int hi = Math.min(in, (int) (center + support + 0.5));
                double[] w = new double[Math.max(0, hi - lo)];
                double total = 0;
                for (int j = 0; j < w.length; j++) {
                    double t = Math.abs((j + lo - center + 0.5) / filterScale);
                    w[j] = t < 1 ? 1 - t : 0;
                    total += w[j];
                }
                if (total > 0) {
                    for (int j = 0; j < w.length; j++) {
                        w[j] /= total;
                    }
                }
                start[i] = lo;
                count[i] = w.length;
                weights[i] = w;
            }
            return new Filter(start, count, weights);
        }
    }
}
