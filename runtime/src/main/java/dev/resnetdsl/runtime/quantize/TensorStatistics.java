package dev.resnetdsl.runtime.quantize;

/**
 * What calibration remembers about one activation, in bounded memory whatever the number of images: the smallest
 * and largest value, and (in a second pass, once those are known) a histogram of {@link #BINS} equal bins between
 * them. Counts are integers, so the result does not depend on the order the batches arrive in.
 */
final class TensorStatistics {
    /** Histogram bins: 2048, as TensorRT's and ONNX Runtime's entropy calibrators use. */
    static final int BINS = 2048;

    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long[] histogram;
    private long count;
    private long zeros;

    /** First pass: widens the range to cover {@code values[from, to)}. */
    void observeRange(float[] values, int from, int to) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        boolean finite = true;
        for (int i = from; i < to; i++) {
            float v = values[i];
            finite &= Float.isFinite(v);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!finite) {
            throw new IllegalStateException("the float model produced a non-finite value (NaN or infinity)");
        }
        min = Math.min(min, lo);
        max = Math.max(max, hi);
    }

    /** Second pass: counts {@code values[from, to)} into the histogram over the range found by the first pass. */
    void observeHistogram(float[] values, int from, int to) {
        if (histogram == null) {
            histogram = new long[BINS];
        }
        double lo = min;
        double width = max - min;
        if (!(width > 0)) {
            histogram[0] += to - from;
            count += to - from;
            return;
        }
        double perBin = BINS / width;
        long zero = 0;
        for (int i = from; i < to; i++) {
            float v = values[i];
            zero += v == 0 ? 1 : 0;
            int bin = (int) ((v - lo) * perBin);
            histogram[bin < 0 ? 0 : Math.min(bin, BINS - 1)]++;
        }
        zeros += zero;
        count += to - from;
    }

    boolean seen() {
        return min <= max;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** The histogram (bin {@code b} covers {@code [min + b·w, min + (b+1)·w)}, w = (max − min)/BINS); null before pass 2. */
    long[] histogram() {
        return histogram;
    }

    long count() {
        return count;
    }

    /** How many of the histogram's values were exactly 0 (ReLU outputs are often half zeros). */
    long zeros() {
        return zeros;
    }

    /** The histogram bin that holds 0 (when the range holds it). */
    int zeroBin() {
        double width = max - min;
        if (!(width > 0)) {
            return 0;
        }
        int bin = (int) ((0 - min) * (BINS / width));
        return bin < 0 ? 0 : Math.min(bin, BINS - 1);
    }
}
