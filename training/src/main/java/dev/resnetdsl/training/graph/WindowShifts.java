package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Activation;

/**
 * For each kernel offset (kh, kw) of a k×k window moved with stride s: rows kh, kh+s, … and columns kw,
 * kw+s, … (one per output position) of a tensor whose height and width are the axes {@code rowAxis} and
 * {@code rowAxis + 1}. ONNX Runtime's Slice copies element by element when the step is not 1, so when
 * windows overlap (k > s) the tensor is first split into its s² phases (every s-th row and column from
 * each start) with s² strided slices, and every offset is then a step-1 slice of one phase, copied row by
 * row: s² slow copies instead of k².
 */
final class WindowShifts {
    private final OnnxGraph g;
    private final String t;
    private final int s;
    private final Activation out;
    private final int rowAxis;
    private final String[][] phases;

    WindowShifts(OnnxGraph g, String t, int k, int s, Activation out, int rowAxis) {
        this.g = g;
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
