package org.opensearch.cliphybrid.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/**
 * Hit lists of two requests that must rank alike. BM25 adds its terms in an order that Lucene's block-max scorers choose per
 * segment, so two copies of a shard may differ in a score's last float digit: scores are compared to 1e-6, the rest exactly.
 */
final class SameHits {
    private SameHits() {}

    static void assertSameHits(List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        assertEquals("hits", expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> e = new HashMap<>(expected.get(i));
            Map<String, Object> a = new HashMap<>(actual.get(i));
            Object expectedScore = e.remove("_score");
            Object actualScore = a.remove("_score");
            assertEquals("hit " + i, e, a);
            if (expectedScore == null || actualScore == null) {
                assertEquals("score of hit " + i, expectedScore, actualScore);
            } else {
                assertEquals("score of hit " + i, ((Number) expectedScore).doubleValue(), ((Number) actualScore).doubleValue(), 1e-6);
            }
        }
    }
}
