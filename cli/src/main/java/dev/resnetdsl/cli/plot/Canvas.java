package dev.resnetdsl.cli.plot;

import java.awt.Color;

/** The few drawing operations a plot needs, so one layout renders to SVG text and to a PNG alike. */
interface Canvas {
    /** Text alignment relative to the anchor point. */
    enum Anchor {
        START,
        MIDDLE,
        END
    }

    void line(double x1, double y1, double x2, double y2, Color color, double width, boolean dashed);

    void polyline(double[] xs, double[] ys, Color color, double width, boolean dashed);

    void text(double x, double y, String text, double size, Anchor anchor, Color color, boolean rotated);

    void rect(double x, double y, double w, double h, Color stroke, Color fill);
}
