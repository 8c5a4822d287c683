package org.opensearch.cliphybrid.query.profile;


import org.opensearch.test.OpenSearchTestCase;

import java.util.List;
import java.util.Set;

/** Exact values on small rankings, worked out by hand. */
public class RankingMetricTests extends OpenSearchTestCase {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    public void testNdcgDiscountsByTheLogarithmOfTheRank() {
        // relevant at ranks 1 and 3 of 2 relevant: (1 + 1/log2(4)) / (1 + 1/log2(3))
        double expected = (1 + 0.5) / (1 + 1 / LOG2_3);
        assertEquals(expected, RankingMetric.NDCG.score(List.of("a", "x", "b"), Set.of("a", "b"), 10), 1e-12);
        assertEquals(1.0, RankingMetric.NDCG.score(List.of("b", "a", "x"), Set.of("a", "b"), 10), 1e-12);
        assertEquals(0.0, RankingMetric.NDCG.score(List.of("x", "y"), Set.of("a"), 10), 0);
        // the ideal counts only k places: 3 relevant, k = 2, both places relevant is perfect
        assertEquals(1.0, RankingMetric.NDCG.score(List.of("a", "b", "c"), Set.of("a", "b", "c"), 2), 1e-12);
        // a relevant hit past the cut-off does not count
        assertEquals(0.0, RankingMetric.NDCG.score(List.of("x", "y", "a"), Set.of("a"), 2), 0);
        // one relevant at rank 2: 1/log2(3)
        assertEquals(1 / LOG2_3, RankingMetric.NDCG.score(List.of("x", "a"), Set.of("a"), 10), 1e-12);
    }

    public void testRecallIsTheShareOfRelevantIdsFound() {
        assertEquals(0.5, RankingMetric.RECALL.score(List.of("a", "x", "y"), Set.of("a", "b"), 10), 0);
        assertEquals(0.25, RankingMetric.RECALL.score(List.of("x", "a", "b"), Set.of("a", "b", "c", "d"), 2), 0);
        assertEquals(1.0, RankingMetric.RECALL.score(List.of("b", "a"), Set.of("a", "b"), 2), 0);
        assertEquals(0.0, RankingMetric.RECALL.score(List.of(), Set.of("a"), 10), 0);
    }

    public void testMrrIsOneOverTheFirstRelevantRank() {
        assertEquals(1.0 / 3, RankingMetric.MRR.score(List.of("x", "y", "a", "b"), Set.of("a", "b"), 10), 1e-12);
        assertEquals(1.0, RankingMetric.MRR.score(List.of("a"), Set.of("a"), 10), 0);
        assertEquals(0.0, RankingMetric.MRR.score(List.of("x", "y", "a"), Set.of("a"), 2), 0);
    }

    public void testMeansOverQueries() {
        MetricValues v = MetricValues.of(10, List.of(List.of("a"), List.of("x", "b")), List.of(Set.of("a"), Set.of("b")));
        assertEquals((1 + 1 / LOG2_3) / 2, v.ndcg(), 1e-12);
        assertEquals(1.0, v.recall(), 0);
        assertEquals(0.75, v.mrr(), 0);
        assertEquals(0.75, v.get(RankingMetric.MRR), 0);
    }

    public void testCutoffParsing() {
        assertEquals(new RankingMetric.Cutoff(RankingMetric.NDCG, 10), RankingMetric.Cutoff.parse("ndcg@10"));
        assertEquals(new RankingMetric.Cutoff(RankingMetric.RECALL, 100), RankingMetric.Cutoff.parse("recall@100"));
        assertEquals("mrr@5", RankingMetric.Cutoff.parse("mrr@5").toString());
        for (String bad : new String[] { "ndcg", "ndcg@0", "ndcg@101", "map@10", "NDCG@10", "ndcg@x", "ndcg@10@2", "" }) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> RankingMetric.Cutoff.parse(bad));
            assertTrue(e.getMessage(), e.getMessage().startsWith("[metric] must be ndcg@K, recall@K or mrr@K with K between 1 and 100"));
        }
    }
}
