package org.opensearch.cliphybrid.query.fusion;

/**
 * A fused document and what explains its score, per side (0: vector, 1: text): its rank (0: not in that side's list), its raw
 * score (NaN when absent) and the side's contribution before weighting (the reciprocal rank term or the normalized score).
 */
public record Fused(long key, double score, int[] ranks, float[] rawScores, float[] sideScores) {
    public Fused withKeyAndScore(long newKey, double newScore) {
        return new Fused(newKey, newScore, ranks, rawScores, sideScores);
    }
}
