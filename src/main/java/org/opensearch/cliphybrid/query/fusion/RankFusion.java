package org.opensearch.cliphybrid.query.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rank-mode fusion of whole candidate lists, one per side (0: vector, 1: text).
 * <ul>
 * <li>{@code rrf}: reciprocal rank fusion (Cormack et al., 2009), the sum over the lists that hold a document of
 * {@code weight / (rank_constant + rank)}, ranks counted from 1. Only ranks matter, so cosine and BM25 combine without
 * calibration.</li>
 * <li>{@code linear}: each list's scores normalized over that list, then the weighted arithmetic mean
 * {@code sum(weight * normalized) / sum(weight)}, where a side that did not find the document contributes 0.</li>
 * </ul>
 * The result is ordered by fused score, ties broken by the smaller key. {@code note} says in explanations what shaped the request
 * (for example a proper-noun rule), or is empty.
 */
public record RankFusion(Method method, int rankConstant, Normalization normalization, Weights weights, String note) {
    public enum Method {
        RRF,
        LINEAR
    }

    public static final int DEFAULT_RANK_CONSTANT = 60;

    public RankFusion {
        if (rankConstant < 1) {
            throw new IllegalArgumentException("[rank_constant] must be at least 1, got " + rankConstant);
        }
    }

    public static RankFusion rrf(int rankConstant, Weights weights) {
        return new RankFusion(Method.RRF, rankConstant, Normalization.MIN_MAX, weights, "");
    }

    public static RankFusion linear(Normalization normalization, Weights weights) {
        return new RankFusion(Method.LINEAR, DEFAULT_RANK_CONSTANT, normalization, weights, "");
    }

    public RankFusion withNote(String newNote) {
        return new RankFusion(method, rankConstant, normalization, weights, newNote);
    }

    public List<Fused> fuse(Ranked... lists) {
        Map<Long, Fused> byKey = new HashMap<>();
        for (int side = 0; side < lists.length; side++) {
            Ranked list = lists[side];
            float[] contributions = method == Method.RRF ? null : normalization.apply(list.scores());
            for (int i = 0; i < list.keys().length; i++) {
                long key = list.keys()[i];
                Fused f = byKey.computeIfAbsent(key, x -> empty(x, lists.length));
                if (f.ranks()[side] != 0) {
                    continue; // a list names each document once; keep its best rank
                }
                int rank = i + 1;
                f.ranks()[side] = rank;
                f.rawScores()[side] = list.scores()[i];
                f.sideScores()[side] = contributions == null ? (float) (1.0 / (rankConstant + rank)) : contributions[i];
            }
        }
        List<Fused> out = new ArrayList<>(byKey.size());
        for (Fused f : byKey.values()) {
            out.add(f.withKeyAndScore(f.key(), score(f.sideScores())));
        }
        out.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Long.compare(a.key(), b.key()));
        return out;
    }

    private double score(float[] sideScores) {
        double sum = 0;
        for (int side = 0; side < sideScores.length; side++) {
            sum += (double) weights.of(side) * sideScores[side];
        }
        return method == Method.RRF ? sum : sum / weights.sum();
    }

    private static Fused empty(long key, int sides) {
        float[] raw = new float[sides];
        Arrays.fill(raw, Float.NaN);
        return new Fused(key, 0, new int[sides], raw, new float[sides]);
    }

    /** How one side's contribution came about, for explain. */
    public String describeSide(Fused f, int side) {
        String name = side == 0 ? "vector" : "text";
        int rank = f.ranks()[side];
        if (rank == 0) {
            return name + ": not among its candidates, contributes 0";
        }
        String how = method == Method.RRF
            ? "1/(" + rankConstant + " + " + rank + ") = " + f.sideScores()[side]
            : OptionNames.of(normalization) + " normalized " + f.sideScores()[side];
        return name + ": rank " + rank + ", raw score " + f.rawScores()[side] + ", " + how + ", weight " + weights.of(side);
    }

    public String describe() {
        return (method == Method.RRF
            ? "clip_hybrid rrf: sum of weight/(rank_constant + rank), rank_constant=" + rankConstant
            : "clip_hybrid linear: weighted mean of " + OptionNames.of(normalization) + " normalized scores, weights vector=" + weights.vector()
                + " text=" + weights.text()) + note;
    }
}
