package dev.resnetdsl.cli.plot;

import java.awt.Color;
import java.util.Locale;

/** Writes SVG 1.1 by hand (the format is simple enough that a library would add nothing). */
final class SvgCanvas implements Canvas {
    private final StringBuilder sb = new StringBuilder();

    SvgCanvas(int width, int height) {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"Helvetica, Arial, sans-serif\">\n",
                width,
                height,
                width,
                height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, double width, boolean dashed) {
        sb.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"%.2f\"%s/>\n",
                x1,
                y1,
                x2,
                y2,
                hex(color),
                width,
                dashed ? " stroke-dasharray=\"4 3\"" : ""));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, double width, boolean dashed) {
        sb.append("<polyline fill=\"none\" stroke=\"")
                .append(hex(color))
                .append(String.format(Locale.ROOT, "\" stroke-width=\"%.2f\"", width))
                .append(dashed ? " stroke-dasharray=\"4 3\"" : "")
                .append(" stroke-linejoin=\"round\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            sb.append(String.format(Locale.ROOT, i == 0 ? "%.2f,%.2f" : " %.2f,%.2f", xs[i], ys[i]));
        }
        sb.append("\"/>\n");
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, Color color, boolean rotated) {
        String a = anchor == Anchor.START ? "start" : anchor == Anchor.MIDDLE ? "middle" : "end";
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" text-anchor=\"%s\" fill=\"%s\"%s>%s</text>\n",
                x,
                y,
                size,
                a,
                hex(color),
                rotated ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.2f %.2f)\"", x, y) : "",
                escape(text)));
    }

    @Override
    public void rect(double x, double y, double w, double h, Color stroke, Color fill) {
        sb.append(String.format(
                Locale.ROOT,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" stroke=\"%s\"/>\n",
                x,
                y,
                w,
                h,
                fill == null ? "none" : hex(fill),
                stroke == null ? "none" : hex(stroke)));
    }

    String finish() {
        return sb + "</svg>\n";
    }

    private static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                default:
                    out.append(ch);
            }
        }
        return out.toString();
    }
}
