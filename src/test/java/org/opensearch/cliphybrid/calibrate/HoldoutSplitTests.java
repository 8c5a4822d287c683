package org.opensearch.cliphybrid.calibrate;

import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

public class HoldoutSplitTests extends OpenSearchTestCase {
    public void testTheSameSeedSplitsTheSameWayAndThePartsCoverEveryQueryOnce() {
        HoldoutSplit a = HoldoutSplit.of(20, 0.3, 42), b = HoldoutSplit.of(20, 0.3, 42);
        assertEquals(a, b);
        assertEquals(6, a.holdout().size());
        assertEquals(14, a.train().size());
        Set<Integer> all = new HashSet<>(a.train());
        all.addAll(a.holdout());
        assertEquals(20, all.size());
        Set<Integer> overlap = new HashSet<>(a.train());
        overlap.retainAll(a.holdout());
        assertTrue(overlap.isEmpty());
        // a shuffle, not the last 30%
        assertNotEquals(List.of(14, 15, 16, 17, 18, 19), a.holdout());
    }

    public void testAnotherSeedSplitsAnotherWay() {
        Set<List<Integer>> holdouts = new HashSet<>();
        for (long seed = 0; seed < 5; seed++) {
            holdouts.add(new ArrayList<>(HoldoutSplit.of(30, 0.5, seed).holdout()));
        }
        assertTrue(holdouts.size() > 1);
    }

    public void testEachPartNeedsTwoQueries() {
        assertEquals(2, HoldoutSplit.of(4, 0.5, 0).holdout().size());
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> HoldoutSplit.of(4, 0.2, 0));
        assertEquals("[holdout] of 0.2 over 4 [judgments] leaves 3 to fit and 1 to hold out; each part needs at least 2 queries", e.getMessage());
        expectThrows(IllegalArgumentException.class, () -> HoldoutSplit.of(5, 0.8, 0));
        for (double bad : new double[] { 0, 1, -0.1, 1.5, Double.NaN }) {
            e = expectThrows(IllegalArgumentException.class, () -> HoldoutSplit.of(10, bad, 0));
            assertTrue(e.getMessage(), e.getMessage().startsWith("[holdout] must be a fraction between 0 and 1"));
        }
    }
}
