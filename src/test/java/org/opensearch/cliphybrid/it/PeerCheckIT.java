package org.opensearch.cliphybrid.it;

import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Rank modes against the peer: on the demo index, {@code clip_hybrid} with {@code linear} + {@code min_max} and with {@code rrf}
 * gives the same top 10 as neural-search 3.6.0.0's {@code hybrid} query under its normalization and score-ranker processors, where
 * the definitions coincide: one shard, the same k nearest vectors (Lucene cosine scores) and the same BM25 window.
 * The peer's knn explores max(k, ef_search) graph candidates, ef_search defaulting to the index's 100, where ours explores k;
 * on some segment layouts the two then find different approximate neighbours, so the peer's query pins ef_search to k.
 */
public class PeerCheckIT {
    private static final ClusterClient cluster = new ClusterClient();
    private static final int DEPTH = 50;
    private static final String TEXT = "a dog runs across the grass";

    @BeforeClass
    public static void peerPipelines() throws IOException {
        String plugins = cluster.get("/_cat/plugins?h=component").raw();
        assertTrue("the test cluster needs neural-search (test-cluster/start --plugins neural-search, as pom.xml does): " + plugins,
            plugins.contains("neural-search"));
        ClusterClient.Response minMax = cluster.put("/_search/pipeline/peer-min-max", """
            {"phase_results_processors": [{"normalization-processor": {"normalization": {"technique": "min_max"},
             "combination": {"technique": "arithmetic_mean", "parameters": {"weights": [0.5, 0.5]}}}}]}""");
        assertEquals(minMax.raw(), 200, minMax.status());
        ClusterClient.Response rrf = cluster.put("/_search/pipeline/peer-rrf", """
            {"phase_results_processors": [{"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": 60}}}]}""");
        assertEquals(rrf.raw(), 200, rrf.status());
    }

    private static List<?> vector(String text) throws IOException {
        ClusterClient.Response r = cluster.post("/_plugins/clip/_embed", "{\"texts\": [\"" + text + "\"]}");
        return (List<?>) r.<List<Map<String, Object>>>path("texts").get(0).get("embedding");
    }

    private static List<Map<String, Object>> hits(ClusterClient.Response r) {
        assertEquals(r.raw(), 200, r.status());
        return r.path("hits.hits");
    }

    private static void assertSameTop10(String mode, List<Map<String, Object>> ours, List<Map<String, Object>> peer) {
        assertEquals(mode, 11, ours.size());
        assertEquals(mode, 11, peer.size());
        for (int i = 0; i < 10; i++) {
            double a = ((Number) ours.get(i).get("_score")).doubleValue(), b = ((Number) peer.get(i).get("_score")).doubleValue();
            assertEquals(mode + ": score at " + i, b, a, 1e-5);
            double before = i == 0 ? Double.NaN : ((Number) peer.get(i - 1).get("_score")).doubleValue();
            double after = ((Number) peer.get(i + 1).get("_score")).doubleValue();
            // where the peer has a tie, its order is its own; elsewhere the documents must be the same
            if (Math.abs(before - b) > 1e-6 && Math.abs(after - b) > 1e-6) {
                assertEquals(mode + ": document at " + i, peer.get(i).get("_id"), ours.get(i).get("_id"));
            }
        }
    }

    private static ClusterClient.Response peer(String pipeline, List<?> vector) throws IOException {
        return cluster.post("/" + DemoSearchIT.INDEX + "/_search?search_pipeline=" + pipeline, "{\"size\": 11, \"_source\": false, \"query\": "
            + "{\"hybrid\": {\"pagination_depth\": " + DEPTH + ", \"queries\": [{\"knn\": {\"image_vector\": {\"vector\": " + vector + ", \"k\": "
            + DEPTH + ", \"method_parameters\": {\"ef_search\": " + DEPTH + "}}}}, {\"match\": {\"title\": \"" + TEXT + "\"}}]}}}");
    }

    private static ClusterClient.Response ours(String fusion, List<?> vector) throws IOException {
        return cluster.post("/" + DemoSearchIT.INDEX + "/_search", "{\"size\": 11, \"_source\": false, \"query\": {\"clip_hybrid\": {"
            + "\"query_text\": \"" + TEXT + "\", \"query_vector\": " + vector + ", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"],"
            + " \"k\": " + DEPTH + ", \"window_size\": " + DEPTH + ", \"proper_nouns\": \"off\", " + fusion + "}}}");
    }

    @Test
    public void linearMinMaxMatchesNeuralSearchHybrid() throws IOException {
        List<?> v = vector(TEXT);
        assertSameTop10("linear min_max", hits(ours("\"fusion\": \"linear\", \"normalization\": \"min_max\"", v)), hits(peer("peer-min-max", v)));
    }

    @Test
    public void rrfMatchesNeuralSearchScoreRanker() throws IOException {
        List<?> v = vector(TEXT);
        assertSameTop10("rrf", hits(ours("\"fusion\": \"rrf\", \"rank_constant\": 60", v)), hits(peer("peer-rrf", v)));
    }

    @Test
    public void theSameHoldsForAnotherQuery() throws IOException {
        List<?> v = vector("children playing in the water");
        List<Map<String, Object>> ours = hits(cluster.post("/" + DemoSearchIT.INDEX + "/_search", "{\"size\": 11, \"_source\": false, \"query\": "
            + "{\"clip_hybrid\": {\"query_text\": \"" + TEXT + "\", \"query_vector\": " + v + ", \"vector_field\": \"image_vector\","
            + " \"text_fields\": [\"title\"], \"k\": " + DEPTH + ", \"proper_nouns\": \"off\", \"fusion\": \"linear\"}}}"));
        assertSameTop10("linear min_max, another vector", ours, hits(peer("peer-min-max", v)));
    }
}
