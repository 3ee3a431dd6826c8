package dev.resnetdsl.cli.summary;

import dev.resnetdsl.runtime.quantize.Int8Report;
import java.io.PrintWriter;
import java.util.Locale;

/** The int8 report as a table (every layer) or as its totals and float layers only. */
public final class Int8Table {
    private Int8Table() {}

    /** Prints {@code report}; {@code everyLayer} adds one line per layer. */
    public static void print(Int8Report report, PrintWriter out, boolean everyLayer) {
        if (everyLayer) {
            out.printf("%-36s %-18s %-6s %16s%n", "Layer", "Op", "Runs", "MACs");
            for (Int8Report.Row r : report.rows()) {
                out.printf(
                        "%-36s %-18s %-6s %16s%n",
                        r.node(),
                        r.op(),
                        r.int8() ? "int8" : "float",
                        r.macs() > 0 ? String.format(Locale.ROOT, "%,d", r.macs()) : "");
            }
        }
        long[] kinds = new long[4];
        long[] int8 = new long[4];
        StringBuilder floats = new StringBuilder();
        for (Int8Report.Row r : report.rows()) {
            int k =
                    switch (r.op()) {
                        case "Conv", "QLinearConv" -> 0;
                        case "Gemm", "MatMul" -> 1;
                        case "Add" -> 2;
                        default -> 3;
                    };
            kinds[k]++;
            if (r.int8()) {
                int8[k]++;
            } else {
                floats.append(floats.length() == 0 ? "" : ", ")
                        .append(r.node())
                        .append(" (")
                        .append(r.op())
                        .append(')');
            }
        }
        out.printf(
                "int8: %d of %d convolutions, %d of %d fully connected, %d of %d residual adds, %d of %d pooling%n",
                int8[0], kinds[0], int8[1], kinds[1], int8[2], kinds[2], int8[3], kinds[3]);
        long[] macs = report.macs();
        if (macs[1] > 0) {
            out.printf(
                    Locale.ROOT,
                    "int8 multiply-accumulates: %,d of %,d per image (%.2f%%)%n",
                    macs[0],
                    macs[1],
                    100.0 * macs[0] / macs[1]);
        }
        out.println("float: " + (floats.length() == 0 ? "none" : floats));
        if (report.record() != null) {
            out.println("quantized: " + report.record().describe());
        }
    }
}
