package org.opensearch.cliphybrid.stats;

import java.util.Arrays;

/**
 * Durations of one stage: a running count and total, and percentiles over the most recent {@link #WINDOW} samples, kept in a
 * fixed ring so that memory stays the same however long the node runs.
 */
final class LatencyRecorder {
    static final int WINDOW = 1024;

    private final double[] recent = new double[WINDOW];
    private long count;
    private double totalMillis;

    synchronized void record(long nanos) {
        double millis = nanos / 1_000_000.0;
        recent[(int) (count % WINDOW)] = millis;
        count++;
        totalMillis += millis;
    }

    synchronized Latency snapshot() {
        int n = (int) Math.min(count, WINDOW);
        double[] sorted = Arrays.copyOf(recent, n);
        Arrays.sort(sorted);
        return new Latency(count, totalMillis, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99));
    }

    /** Nearest rank: the smallest sample with at least p% of the samples at or below it. */
    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
