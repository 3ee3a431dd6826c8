package dev.resnetdsl.runtime.quantize;

/**
 * Turns one activation's {@link TensorStatistics} into the range {@code [lo, hi]} its 8-bit values will cover, by
 * the {@link CalibrationMethod}.
 */
final class RangeChooser {
    private RangeChooser() {}

    /** {@code [lo, hi]} for the method; the statistics must hold a histogram unless the method is MINMAX. */
    static double[] range(TensorStatistics s, CalibrationMethod method, double percentile) {
        if (!s.seen()) {
            throw new IllegalStateException("no calibration values were seen");
        }
        return switch (method) {
            case MINMAX -> new double[] {s.min(), s.max()};
            case PERCENTILE -> percentile(s, percentile);
            case ENTROPY -> entropy(s);
        };
    }

    /**
     * Each tail that holds values is cut at the percentile: {@code lo} where (100 − p)% of the values lie below,
     * {@code hi} where p% lie below (bin edges). A tail on the other side of 0 has nothing to cut.
     */
    static double[] percentile(TensorStatistics s, double p) {
        long[] h = s.histogram();
        double width = (s.max() - s.min()) / TensorStatistics.BINS;
        if (!(width > 0) || p >= 100) {
            return new double[] {s.min(), s.max()};
        }
        double tail = s.count() * (100 - p) / 100;
        double lo = s.min();
        double hi = s.max();
        if (s.min() < 0) {
            long below = 0;
            for (int b = 0; b < h.length; b++) {
                below += h[b];
                if (below > tail) {
                    lo = s.min() + b * width;
                    break;
                }
            }
        }
        if (s.max() > 0) {
            long above = 0;
            for (int b = h.length - 1; b >= 0; b--) {
                above += h[b];
                if (above > tail) {
                    hi = s.min() + (b + 1) * width;
                    break;
                }
            }
        }
        return new double[] {Math.min(lo, hi), Math.max(lo, hi)};
    }

    /**
     * TensorRT's entropy calibration: over the histogram of |x| (2048 bins up to max |x|), the threshold T whose
     * clipped-and-quantized distribution has the least Kullback–Leibler divergence from the clipped original, trying
     * every bin edge from the number of quantization levels up. Levels: 128 per side when the values have both signs
     * (asymmetric 8-bit splits its 256 steps between them), 256 when they have one. The range is then
     * {@code [max(min, −T), min(max, T)]}. Exact zeros are left out of the histogram.
     */
    static double[] entropy(TensorStatistics s) {
        double absMax = Math.max(Math.abs(s.min()), Math.abs(s.max()));
        int bins = TensorStatistics.BINS;
        if (!(absMax > 0)) {
            return new double[] {s.min(), s.max()};
        }
        double[] abs = absoluteHistogram(s, absMax);
        int levels = s.min() < 0 && s.max() > 0 ? 128 : 256;
        double absWidth = absMax / bins;
        int best = bins;
        double bestDivergence = Double.POSITIVE_INFINITY;
        double[] p = new double[bins];
        double[] q = new double[bins];
        for (int i = levels; i <= bins; i++) {
            // P: the first i bins, with everything beyond folded into the last one (clipping).
            System.arraycopy(abs, 0, p, 0, i);
            double outliers = 0;
            for (int b = i; b < bins; b++) {
                outliers += abs[b];
            }
            p[i - 1] += outliers;
            // Q: the first i bins merged into `levels` groups, each group's mass spread over the bins where P has mass.
            double merge = (double) i / levels;
            for (int l = 0; l < levels; l++) {
                int start = (int) Math.floor(l * merge);
                int end = l == levels - 1 ? i : (int) Math.floor((l + 1) * merge);
                double sum = 0;
                int nonEmpty = 0;
                for (int b = start; b < end; b++) {
                    sum += abs[b];
                    if (p[b] > 0) {
                        nonEmpty++;
                    }
                }
                for (int b = start; b < end; b++) {
                    q[b] = p[b] > 0 ? sum / nonEmpty : 0;
                }
            }
            double divergence = divergence(p, q, i);
            if (divergence < bestDivergence) {
                bestDivergence = divergence;
                best = i;
            }
        }
        double threshold = Math.min(absMax, (best + 0.5) * absWidth);
        return new double[] {Math.max(s.min(), -threshold), Math.min(s.max(), threshold)};
    }

    /** The value histogram re-binned by |x| into {@link TensorStatistics#BINS} bins over {@code [0, absMax]}. */
    private static double[] absoluteHistogram(TensorStatistics s, double absMax) {
        long[] h = s.histogram();
        int bins = TensorStatistics.BINS;
        double[] abs = new double[bins];
        double width = (s.max() - s.min()) / bins;
        if (!(width > 0)) {
            abs[Math.min(bins - 1, (int) (Math.abs(s.min()) / absMax * bins))] += s.count();
            return abs;
        }
        int zeroBin = s.zeroBin();
        for (int b = 0; b < bins; b++) {
            // Exact zeros (half of a ReLU's outputs) are exact at any threshold; left in, their spike in the first bin
            // dominates the divergence and drives the threshold far into the values (measured on the MNIST test
            // model: ReLU ranges cut to a quarter of their maximum, top-1 agreement 90%).
            long count = b == zeroBin ? h[b] - s.zeros() : h[b];
            if (count == 0) {
                continue;
            }
            double centre = Math.abs(s.min() + (b + 0.5) * width);
            abs[Math.min(bins - 1, (int) (centre / absMax * bins))] += count;
        }
        return abs;
    }

    /** KL(P ‖ Q) over the first {@code n} bins, both normalised; bins where P is 0 add nothing. */
    private static double divergence(double[] p, double[] q, int n) {
        double sumP = 0;
        double sumQ = 0;
        for (int b = 0; b < n; b++) {
            sumP += p[b];
            sumQ += q[b];
        }
        if (sumP == 0 || sumQ == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double d = 0;
        for (int b = 0; b < n; b++) {
            if (p[b] > 0) {
                double pb = p[b] / sumP;
                double qb = q[b] / sumQ;
                // P has mass where Q has none only at the folded last bin; TensorRT smooths; a large penalty does too.
                d += qb > 0 ? pb * Math.log(pb / qb) : pb * 50;
            }
        }
        return d;
    }
}
