package io.kubevisor.bench;

import java.util.List;
import java.util.Locale;

/** Small formatting helpers for the Markdown report. Stateless. */
final class Markdown {

    private Markdown() {
    }

    /** A table with a header row; every row must have as many cells as the header. */
    static String table(List<String> header, List<List<String>> rows) {
        var sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n");
        sb.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + row + " does not match header " + header);
            }
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.toString();
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String verdict(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    static String bytes(long n) {
        if (n >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
        }
        if (n >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }
}
