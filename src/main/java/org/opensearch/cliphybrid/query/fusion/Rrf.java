package org.opensearch.cliphybrid.query.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack et al., 2009): a document's fused score is the sum over the ranked lists that hold it of
 * {@code 1 / (rank_constant + rank)}, ranks counted from 1. Only ranks matter, so scores of different scales (cosine, BM25)
 * combine without calibration.
 */
public final class Rrf {
    private Rrf() {}

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

    /** A fused document with what explains its score: its rank and raw score on each side (rank 0: not in that list). */
    public record Fused(long key, double score, int[] ranks, float[] rawScores) {}

    /** Fuses the lists; the result is ordered by fused score, ties broken by the smaller key. */
    public static List<Fused> fuse(int rankConstant, Ranked... lists) {
        if (rankConstant < 1) {
            throw new IllegalArgumentException("rank_constant must be at least 1, got " + rankConstant);
        }
        Map<Long, Fused> byKey = new HashMap<>();
        for (int side = 0; side < lists.length; side++) {
            Ranked list = lists[side];
            for (int i = 0; i < list.keys().length; i++) {
                long key = list.keys()[i];
                Fused f = byKey.get(key);
                if (f == null) {
                    f = new Fused(key, 0, new int[lists.length], new float[lists.length]);
                    Arrays.fill(f.rawScores(), Float.NaN);
                }
                if (f.ranks()[side] != 0) {
                    continue; // a list names each document once; keep its best rank
                }
                int rank = i + 1;
                f.ranks()[side] = rank;
                f.rawScores()[side] = list.scores()[i];
                byKey.put(key, new Fused(key, f.score() + 1.0 / (rankConstant + rank), f.ranks(), f.rawScores()));
            }
        }
        List<Fused> out = new ArrayList<>(byKey.values());
        out.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Long.compare(a.key(), b.key()));
        return out;
    }
}
