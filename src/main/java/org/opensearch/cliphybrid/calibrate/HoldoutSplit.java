package org.opensearch.cliphybrid.calibrate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which judged queries fit the parameters and which only measure them: a shuffle by the request's seed, so the same request
 * splits the same way on any node, and the held-out part never influences the choice.
 */
public record HoldoutSplit(List<Integer> train, List<Integer> holdout) {
    /** Each part needs at least this many queries: one query's metric says little about a parameter set. */
    public static final int MIN_PART = 2;

    public static HoldoutSplit of(int queries, double fraction, long seed) {
        if ((fraction > 0 && fraction < 1) == false) {
            throw new IllegalArgumentException("[holdout] must be a fraction between 0 and 1 (exclusive), got " + fraction);
        }
        int held = (int) Math.round(queries * fraction);
        if (held < MIN_PART || queries - held < MIN_PART) {
            throw new IllegalArgumentException(
                "[holdout] of " + fraction + " over " + queries + " [judgments] leaves " + (queries - held) + " to fit and " + held
                    + " to hold out; each part needs at least " + MIN_PART + " queries"
            );
        }
        List<Integer> order = new ArrayList<>(queries);
        for (int i = 0; i < queries; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        List<Integer> holdout = new ArrayList<>(order.subList(0, held));
        List<Integer> train = new ArrayList<>(order.subList(held, queries));
        Collections.sort(holdout);
        Collections.sort(train);
        return new HoldoutSplit(List.copyOf(train), List.copyOf(holdout));
    }
}
