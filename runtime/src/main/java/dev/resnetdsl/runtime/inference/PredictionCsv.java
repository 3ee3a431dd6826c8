package dev.resnetdsl.runtime.inference;

import java.util.Locale;

/**
 * The CSV form of predictions, shared by {@code resnet predict} and the Spark job: header
 * {@code path,top1,prob1[,top2,prob2…],error}; a class appears by the name the model records, else its index;
 * probabilities with six decimals; a row whose image could not be classified has empty class columns and the
 * reason in {@code error}. Fields are quoted as RFC 4180 says when they hold a comma, a quote or a line break.
 */
public final class PredictionCsv {
    private PredictionCsv() {}

    /** The header line for the top {@code k} classes (no line break). */
    public static String header(int k) {
        StringBuilder sb = new StringBuilder("path");
        for (int i = 1; i <= k; i++) {
            sb.append(",top").append(i).append(",prob").append(i);
        }
        return sb.append(",error").toString();
    }

    /** One row for the top {@code k} classes (no line break). */
    public static String row(ImagePrediction p, int k) {
        StringBuilder sb = new StringBuilder(field(p.id()));
        for (int i = 0; i < k; i++) {
            if (i < p.top().size()) {
                ImagePrediction.RankedClass c = p.top().get(i);
                sb.append(',').append(field(c.label())).append(',');
                sb.append(String.format(Locale.ROOT, "%.6f", c.probability()));
            } else {
                sb.append(",,");
            }
        }
        return sb.append(',').append(p.error() == null ? "" : field(p.error())).toString();
    }

    /** A CSV field, quoted when it must be. */
    public static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
