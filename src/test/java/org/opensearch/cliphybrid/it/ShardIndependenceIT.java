package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Rank mode fuses the whole index's candidates, so the same documents split into 1, 3 or 7 shards give the same hits, in the
 * same order, with the same scores, and those equal a reference fused in this test from exact cosine ranks and BM25 ranks.
 */
public class ShardIndependenceIT {
    private static final int[] SHARDS = { 1, 3, 7 };
    private static final int DOCS = 80;
    private static final int K = 20;
    private static final ClusterClient cluster = new ClusterClient();
    private static final Map<String, List<Double>> vectors = new HashMap<>();

    @BeforeClass
    public static void indexTheSameImagesThreeWays() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        Map<String, String> captions = DemoSearchIT.allCaptions();
        List<String> files = Files.readAllLines(SharedFixtures.flickrDir().resolve("test_images.txt")).subList(100, 100 + DOCS);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            // a title on every third image, from its first caption, so both sides have something to rank
            String title = i % 3 == 0 ? ",\"title\":\"" + captions.get(file).split(" \\| ")[0].replace("\"", "") + "\"" : "";
            bulk.append("{\"index\":{\"_id\":\"").append(file).append("\"}}\n");
            bulk.append("{\"image\":\"").append(file).append("\",\"file\":\"").append(file).append('"').append(title).append("}\n");
        }
        for (int shards : SHARDS) {
            String index = index(shards);
            cluster.delete("/" + index);
            ClusterClient.Response created = cluster.put("/" + index, "{\"settings\":{\"number_of_shards\":" + shards + ",\"number_of_replicas\":0}}");
            assertEquals(created.raw(), 200, created.status());
            ClusterClient.Response r = cluster.post("/" + index + "/_bulk?refresh=true", bulk.toString());
            assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        }
        ClusterClient.Response all = cluster.post("/" + index(1) + "/_search", "{\"size\": 1000, \"_source\": [\"image_vector\"]}");
        for (Map<String, Object> hit : all.<List<Map<String, Object>>>path("hits.hits")) {
            List<Double> v = new ArrayList<>();
            for (Object x : (List<?>) ((Map<?, ?>) hit.get("_source")).get("image_vector")) {
                v.add(((Number) x).doubleValue());
            }
            vectors.put((String) hit.get("_id"), v);
        }
    }

    @AfterClass
    public static void dropIndices() throws IOException {
        for (int shards : SHARDS) {
            cluster.delete("/" + index(shards));
        }
    }

    private static String index(int shards) {
        return "clip-images-it-shards-" + shards;
    }

    @Test
    public void sameHitsOrderAndScoresWhateverTheShardCount() throws IOException {
        // a stored image's vector as the query vector, so that the test can rank every document by exact cosine itself
        String probe = vectors.keySet().stream().sorted().findFirst().orElseThrow();
        String text = "a dog runs through the water";
        String query = "{\"size\": 60, \"query\": {\"clip_hybrid\": {\"query_text\": \"" + text + "\", \"query_vector\": "
            + vectors.get(probe) + ", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"], \"k\": " + K + "}}}";
        Map<String, Double> reference = null;
        for (int shards : SHARDS) {
            ClusterClient.Response r = cluster.post("/" + index(shards) + "/_search", query);
            assertEquals(r.raw(), 200, r.status());
            Map<String, Double> ranked = new LinkedHashMap<>();
            for (Map<String, Object> hit : r.<List<Map<String, Object>>>path("hits.hits")) {
                ranked.put((String) hit.get("_id"), ((Number) hit.get("_score")).doubleValue());
            }
            if (reference == null) {
                reference = ranked;
                assertTrue("both sides contribute: " + ranked.size(), ranked.size() > K);
            } else {
                assertEquals(shards + " shards: same ids in the same order", new ArrayList<>(reference.keySet()), new ArrayList<>(ranked.keySet()));
                for (String id : reference.keySet()) {
                    assertEquals(shards + " shards: score of " + id, reference.get(id), ranked.get(id), 1e-6);
                }
            }
        }
        Map<String, Double> expected = bruteForce(text, vectors.get(probe));
        assertEquals(expected.keySet(), reference.keySet());
        for (String id : expected.keySet()) {
            assertEquals("fused score of " + id, expected.get(id), reference.get(id), 1e-6);
        }
    }

    /** RRF computed here: exact cosine ranks over every stored vector, and BM25 ranks with index-wide statistics. */
    private Map<String, Double> bruteForce(String text, List<Double> queryVector) throws IOException {
        List<String> byCosine = new ArrayList<>(vectors.keySet());
        Map<String, Double> cosine = new HashMap<>();
        for (String id : byCosine) {
            double dot = 0, a = 0, b = 0;
            List<Double> v = vectors.get(id);
            for (int i = 0; i < v.size(); i++) {
                dot += v.get(i) * queryVector.get(i);
                a += v.get(i) * v.get(i);
                b += queryVector.get(i) * queryVector.get(i);
            }
            cosine.put(id, dot / Math.sqrt(a * b));
        }
        byCosine.sort(Comparator.comparing(cosine::get, Comparator.reverseOrder()));
        ClusterClient.Response bm25 = cluster.post("/" + index(3) + "/_search?search_type=dfs_query_then_fetch",
            "{\"size\": " + K + ", \"_source\": false, \"query\": {\"multi_match\": {\"query\": \"" + text + "\", \"fields\": [\"title\"]}}}");
        List<String> byText = new ArrayList<>();
        for (Map<String, Object> hit : bm25.<List<Map<String, Object>>>path("hits.hits")) {
            byText.add((String) hit.get("_id"));
        }
        Map<String, Double> fused = new HashMap<>();
        for (int i = 0; i < K; i++) {
            fused.merge(byCosine.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        for (int i = 0; i < byText.size(); i++) {
            fused.merge(byText.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        List<Map.Entry<String, Double>> order = new ArrayList<>(fused.entrySet());
        order.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> out = new LinkedHashMap<>();
        // scores travel as float in a search response
        order.forEach(e -> out.put(e.getKey(), (double) (float) (double) e.getValue()));
        return out;
    }
}
