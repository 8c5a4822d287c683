package org.opensearch.cliphybrid.query.fusion;

/** One side's ranked list: document keys, best first, with their raw scores. */
public record Ranked(long[] keys, float[] scores) {
    public Ranked {
        if (keys.length != scores.length) {
            throw new IllegalArgumentException("keys and scores differ in length");
        }
    }

    public static Ranked empty() {
        return new Ranked(new long[0], new float[0]);
    }
}
