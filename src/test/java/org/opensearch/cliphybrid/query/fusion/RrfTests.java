package org.opensearch.cliphybrid.query.fusion;

import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

public class RrfTests extends OpenSearchTestCase {
    public void testSumsReciprocalRanksOverBothLists() {
        Rrf.Ranked vector = new Rrf.Ranked(new long[] { 7, 3, 5 }, new float[] { 0.9f, 0.8f, 0.7f });
        Rrf.Ranked text = new Rrf.Ranked(new long[] { 3, 9 }, new float[] { 12f, 4f });
        List<Rrf.Fused> fused = Rrf.fuse(60, vector, text);
        assertEquals(4, fused.size());
        assertEquals(3, fused.get(0).key());
        assertEquals(1.0 / 62 + 1.0 / 61, fused.get(0).score(), 1e-12);
        assertArrayEquals(new int[] { 2, 1 }, fused.get(0).ranks());
        assertEquals(7, fused.get(1).key());
        assertEquals(1.0 / 61, fused.get(1).score(), 1e-12);
        assertArrayEquals(new int[] { 1, 0 }, fused.get(1).ranks());
        assertTrue(Float.isNaN(fused.get(1).rawScores()[1]));
        // 9 (text rank 2) and 5 (vector rank 3): rank 2 beats rank 3
        assertEquals(9, fused.get(2).key());
        assertEquals(5, fused.get(3).key());
    }

    public void testTiesBreakOnTheSmallerKey() {
        Rrf.Ranked a = new Rrf.Ranked(new long[] { 4 }, new float[] { 1f });
        Rrf.Ranked b = new Rrf.Ranked(new long[] { 2 }, new float[] { 1f });
        List<Rrf.Fused> fused = Rrf.fuse(10, a, b);
        assertEquals(2, fused.get(0).key());
        assertEquals(4, fused.get(1).key());
    }

    public void testEmptyListsFuseToNothing() {
        assertTrue(Rrf.fuse(60, Rrf.Ranked.empty(), Rrf.Ranked.empty()).isEmpty());
    }

    public void testRejectsRankConstantBelowOne() {
        expectThrows(IllegalArgumentException.class, () -> Rrf.fuse(0, Rrf.Ranked.empty()));
    }
}
