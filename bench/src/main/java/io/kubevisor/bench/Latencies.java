package io.kubevisor.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * A summary of latency samples (nearest-rank percentiles over all samples, no histogram
 * bucketing). Immutable.
 *
 * @param count samples
 * @param p50   median, in nanoseconds
 * @param p90   90th percentile, in nanoseconds
 * @param p99   99th percentile, in nanoseconds
 * @param max   the largest sample, in nanoseconds
 */
record Latencies(int count, long p50, long p90, long p99, long max) {

    /** Summarizes samples in nanoseconds; the array is sorted in place. */
    static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            return new Latencies(0, 0, 0, 0, 0);
        }
        Arrays.sort(nanos);
        return new Latencies(nanos.length, rank(nanos, 0.50), rank(nanos, 0.90), rank(nanos, 0.99),
                nanos[nanos.length - 1]);
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String ms(long nanos) {
        double ms = nanos / 1e6;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
    }
}
