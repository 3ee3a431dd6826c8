package dev.resnetdsl.cli.plot;

import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.training.loop.EpochMetrics;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Training and test error (%) per epoch, in the style of the paper's Figures 4 and 6: a thin line for
 * training error and a bold line for test error, one colour per run, so a plain network and its residual
 * twin can be compared on one plot. Renders to SVG (written by hand) or PNG (Java2D).
 */
public final class ErrorCurvePlot {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 460;
    private static final double LEFT = 64;
    private static final double RIGHT = 200;
    private static final double TOP = 40;
    private static final double BOTTOM = 52;
    private static final Color[] PALETTE = {
        new Color(0xD6, 0x27, 0x28), // red
        new Color(0x1F, 0x77, 0xB4), // blue
        new Color(0x2C, 0xA0, 0x2C), // green
        new Color(0xFF, 0x7F, 0x0E), // orange
        new Color(0x94, 0x67, 0xBD), // purple
        new Color(0x8C, 0x56, 0x4B), // brown
        new Color(0x17, 0xBE, 0xCF), // cyan
        new Color(0x7F, 0x7F, 0x7F), // grey
    };
    private static final Color AXIS = new Color(0x33, 0x33, 0x33);
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

    /**
     * One training run's curves.
     *
     * @param label the legend text (e.g. the run folder's name)
     * @param rows its metrics, one per epoch
     */
    public record Run(String label, List<EpochMetrics> rows) {
        public Run {
            rows = List.copyOf(rows);
        }
    }

    private ErrorCurvePlot() {}

    /** The plot as SVG text. */
    public static String svg(List<Run> runs, String title) {
        SvgCanvas canvas = new SvgCanvas(WIDTH, HEIGHT);
        draw(canvas, runs, title);
        return canvas.finish();
    }

    /** The plot as an image, {@code scale} times the SVG's size. */
    public static BufferedImage image(List<Run> runs, String title, double scale) {
        Java2dCanvas canvas = new Java2dCanvas(WIDTH, HEIGHT, scale);
        draw(canvas, runs, title);
        return canvas.finish();
    }

    /** Writes the plot atomically, as PNG when {@code file} ends in {@code .png}, SVG otherwise. */
    public static void write(Path file, List<Run> runs, String title) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(image(runs, title, 2.0), "png", bytes)) {
                throw new IOException("this Java has no PNG writer");
            }
            AtomicFiles.write(file, bytes.toByteArray());
        } else {
            AtomicFiles.writeString(file, svg(runs, title));
        }
    }

    /** Side of an epoch's marker (hollow: training error, filled: test error), in pixels. */
    private static final double MARK = 5;

    private static void draw(Canvas c, List<Run> runs, String title) {
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        int maxEpoch = 1;
        double maxError = 1;
        for (Run run : runs) {
            for (EpochMetrics m : run.rows()) {
                maxEpoch = Math.max(maxEpoch, m.epoch());
                maxError = Math.max(maxError, Math.max(m.trainErrorPercent(), m.testErrorPercent()));
            }
        }
        double yStep = niceStep(Math.min(maxError, 100) / 5);
        double yMax = Math.min(100, Math.ceil(Math.min(maxError, 100) / yStep) * yStep);
        int xStep = (int) Math.max(1, niceStep(maxEpoch / 8.0));
        double xMax = Math.ceil((double) maxEpoch / xStep) * xStep;
        final double ym = yMax;
        final double xm = xMax;
        java.util.function.DoubleUnaryOperator px = e -> LEFT + plotW * e / xm;
        java.util.function.DoubleUnaryOperator py = v -> TOP + plotH * (1 - Math.min(v, ym) / ym);

        c.text(LEFT + plotW / 2, TOP - 14, title, 15, Canvas.Anchor.MIDDLE, AXIS, false);
        for (double v = 0; v <= yMax + 1e-9; v += yStep) {
            double y = py.applyAsDouble(v);
            c.line(LEFT, y, LEFT + plotW, y, GRID, 1, false);
            c.text(LEFT - 8, y + 4, format(v), 12, Canvas.Anchor.END, AXIS, false);
        }
        for (int e = 0; e <= xMax; e += xStep) {
            double x = px.applyAsDouble(e);
            c.line(x, TOP + plotH, x, TOP + plotH + 5, AXIS, 1, false);
            c.text(x, TOP + plotH + 20, Integer.toString(e), 12, Canvas.Anchor.MIDDLE, AXIS, false);
        }
        c.rect(LEFT, TOP, plotW, plotH, AXIS, null);
        c.text(LEFT + plotW / 2, HEIGHT - 12, "epoch", 13, Canvas.Anchor.MIDDLE, AXIS, false);
        c.text(18, TOP + plotH / 2, "error (%)", 13, Canvas.Anchor.MIDDLE, AXIS, true);

        double legendY = TOP + 8;
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            Color color = PALETTE[r % PALETTE.length];
            int n = run.rows().size();
            double[] xs = new double[n];
            double[] train = new double[n];
            double[] test = new double[n];
            for (int i = 0; i < n; i++) {
                EpochMetrics m = run.rows().get(i);
                xs[i] = px.applyAsDouble(m.epoch());
                train[i] = py.applyAsDouble(m.trainErrorPercent());
                test[i] = py.applyAsDouble(m.testErrorPercent());
            }
            c.polyline(xs, train, color, 1.0, false);
            c.polyline(xs, test, color, 2.6, false);
            // A marker at every epoch: a one-epoch run has no line to draw, and markers show where epochs end.
            for (int i = 0; i < n; i++) {
                c.rect(xs[i] - MARK / 2, train[i] - MARK / 2, MARK, MARK, color, Color.WHITE);
                c.rect(xs[i] - MARK / 2, test[i] - MARK / 2, MARK, MARK, color, color);
            }
            double lx = LEFT + plotW + 14;
            c.line(lx, legendY, lx + 24, legendY, color, 2.6, false);
            c.text(lx + 30, legendY + 4, run.label() + " test", 12, Canvas.Anchor.START, AXIS, false);
            legendY += 18;
            c.line(lx, legendY, lx + 24, legendY, color, 1.0, false);
            c.text(lx + 30, legendY + 4, run.label() + " train", 12, Canvas.Anchor.START, AXIS, false);
            legendY += 18;
            if (n > 0) {
                EpochMetrics last = run.rows().get(n - 1);
                c.text(
                        lx + 30,
                        legendY + 2,
                        String.format(Locale.ROOT, "final test error %.2f%%", last.testErrorPercent()),
                        10,
                        Canvas.Anchor.START,
                        color,
                        false);
            }
            legendY += 22;
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= raw - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
