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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The same documents split into 1, 3 or 7 shards (on however many nodes the test cluster has), or held by one shard in several
 * segments searched concurrently (OpenSearch's concurrent segment search, two slices, large segments split into doc-id
 * partitions), give the same hits, in the same order, with the same scores, in every fusion mode, and those scores equal a
 * reference computed in this test from exact cosines and index-wide BM25: rank modes fuse the whole index's candidates;
 * composable mode scores each document alone.
 */
public class ShardIndependenceIT {
    private static final int[] SHARDS = { 1, 3, 7 };
    /** One shard, its documents in this many segments, searched with concurrent segment search. */
    private static final int SEGMENTS = 5;
    private static final String CONCURRENT = "clip-images-it-concurrent-segments";
    private static final int DOCS = 80;
    private static final int K = 20;
    private static final ClusterClient cluster = new ClusterClient();
    private static final Map<String, List<Double>> vectors = new HashMap<>();
    private static final Set<String> titled = new HashSet<>();

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
            if (title.isEmpty() == false) {
                titled.add(file);
            }
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
        indexInSegments(bulk.toString().split("\n"));
        ClusterClient.Response all = cluster.post("/" + index(1) + "/_search", "{\"size\": 1000, \"_source\": [\"image_vector\"]}");
        for (Map<String, Object> hit : all.<List<Map<String, Object>>>path("hits.hits")) {
            List<Double> v = new ArrayList<>();
            for (Object x : (List<?>) ((Map<?, ?>) hit.get("_source")).get("image_vector")) {
                v.add(((Number) x).doubleValue());
            }
            vectors.put((String) hit.get("_id"), v);
        }
    }

    /**
     * The same bulk into one shard, a refresh after each part (and none between) so that each part is a segment, searched concurrently: every
     * request, two slices, and every segment split into doc-id partitions (each its own scorer over a range of the segment).
     */
    private static void indexInSegments(String[] lines) throws IOException {
        cluster.delete("/" + CONCURRENT);
        // a cluster setting only; the other layouts are not searched concurrently, so it changes nothing for them
        ClusterClient.Response partitioned = cluster.put("/_cluster/settings",
            "{\"transient\": {\"search.concurrent_segment_search.partition_strategy\": \"force\"}}");
        assertEquals(partitioned.raw(), 200, partitioned.status());
        ClusterClient.Response created = cluster.put("/" + CONCURRENT, """
            {"settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": -1,
              "search.concurrent_segment_search.mode": "all", "search.concurrent.max_slice_count": 2}}""");
        assertEquals(created.raw(), 200, created.status());
        int pairs = lines.length / 2;
        for (int part = 0; part < SEGMENTS; part++) {
            StringBuilder bulk = new StringBuilder();
            for (int i = part * pairs / SEGMENTS * 2; i < (part + 1) * pairs / SEGMENTS * 2; i++) {
                bulk.append(lines[i]).append('\n');
            }
            ClusterClient.Response r = cluster.post("/" + CONCURRENT + "/_bulk?refresh=true", bulk.toString());
            assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        }
        ClusterClient.Response segments = cluster.get("/" + CONCURRENT + "/_segments");
        assertEquals(segments.raw(), SEGMENTS, segments.<Number>path("indices." + CONCURRENT + ".shards.0.0.num_search_segments").intValue());
    }

    @AfterClass
    public static void dropIndices() throws IOException {
        cluster.put("/_cluster/settings", "{\"transient\": {\"search.concurrent_segment_search.partition_strategy\": null}}");
        for (String index : layouts()) {
            cluster.delete("/" + index);
        }
    }

    private static String index(int shards) {
        return "clip-images-it-shards-" + shards;
    }

    private static List<String> layouts() {
        List<String> out = new ArrayList<>();
        for (int shards : SHARDS) {
            out.add(index(shards));
        }
        out.add(CONCURRENT);
        return out;
    }

    /** A stored image's vector as the query vector, so that the test can rank every document by exact cosine itself. */
    private static String probe() {
        return vectors.keySet().stream().sorted().findFirst().orElseThrow();
    }

    @Test
    public void rrfIsTheSameWhateverTheShardCount() throws IOException {
        assertSameOnEveryLayout("\"fusion\": \"rrf\"", false, rrf(cosines(), bm25()));
    }

    @Test
    public void linearIsTheSameWhateverTheShardCount() throws IOException {
        for (String normalization : List.of("min_max", "z_score", "l2")) {
            String fusion = "\"fusion\": \"linear\", \"normalization\": \"" + normalization + "\", \"weights\": {\"vector\": 2, \"text\": 1}";
            assertSameOnEveryLayout(fusion, false, linear(normalization, 2, 1, cosines(), bm25()));
        }
    }

    @Test
    public void calibratedIsTheSameWhateverTheShardCount() throws IOException {
        // composable mode scores per document; BM25 is index-wide with DFS, as for any text query, and so is the best BM25
        String fusion = "\"fusion\": \"calibrated\", \"vector_calibration\": {\"cosine_low\": 0.2, \"cosine_high\": 1.0}, \"text_floor\": 0.3";
        Map<String, Double> cos = cosines();
        Map<String, Double> bm25 = bm25All();
        double best = bm25.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, Double> expected = new HashMap<>();
        for (String id : vectors.keySet()) {
            double vector = 2 * (cos.get(id) - 0.6) / 0.8;
            // a document without text is judged on its picture alone; one with text also on how its words match
            double text = titled.contains(id) ? bm25.getOrDefault(id, 0.0) - 0.3 * best : 0;
            expected.put(id, 1 / (1 + Math.exp(-(vector + text))));
        }
        assertSameOnEveryLayout(fusion, true, expected);
    }

    /**
     * In OpenSearch's default mode (auto) a request is searched in slices only when a plugin votes for it: the plugin does for
     * clip_hybrid, as the k-NN plugin does for knn, and a profile shows the slices; a plain match gets no vote and stays whole.
     */
    @Test
    public void autoModeSlicesClipHybridOnly() throws IOException {
        String auto = "{\"index.search.concurrent_segment_search.mode\": \"auto\"}";
        assertEquals(200, cluster.put("/" + CONCURRENT + "/_settings", auto).status());
        try {
            String hybrid = "{\"size\": 5, \"profile\": true, \"query\": {\"clip_hybrid\": {\"query_text\": \"" + TEXT
                + "\", \"query_vector\": " + vectors.get(probe()) + ", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"], \"k\": " + K + "}}}";
            assertEquals("clip_hybrid in slices", 2, sliceCount(hybrid));
            String match = "{\"size\": 5, \"profile\": true, \"query\": {\"match\": {\"title\": \"" + TEXT + "\"}}}";
            assertEquals("a plain match, not in slices", 0, sliceCount(match));
        } finally {
            cluster.put("/" + CONCURRENT + "/_settings", "{\"index.search.concurrent_segment_search.mode\": \"all\"}");
        }
    }

    /** The slices a profiled search of the concurrent layout ran in; 0 when it was not searched concurrently. */
    private static int sliceCount(String body) throws IOException {
        ClusterClient.Response r = cluster.post("/" + CONCURRENT + "/_search", body);
        assertEquals(r.raw(), 200, r.status());
        Number slices = r.path("profile.shards.0.searches.0.collector.0.slice_count");
        return slices == null ? 0 : slices.intValue();
    }

    /**
     * Same hits in the same order with the same scores on 1, 3 and 7 shards and on concurrently searched segments, and those
     * scores equal the best K of the reference.
     */
    private void assertSameOnEveryLayout(String fusion, boolean dfs, Map<String, Double> reference) throws IOException {
        String query = "{\"size\": " + K + ", \"query\": {\"clip_hybrid\": {\"query_text\": \"" + TEXT + "\", \"query_vector\": "
            + vectors.get(probe()) + ", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"], \"k\": " + K + ", " + fusion + "}}}";
        Map<String, Double> first = null;
        for (String index : layouts()) {
            ClusterClient.Response r = cluster.post("/" + index + "/_search" + (dfs ? "?search_type=dfs_query_then_fetch" : ""), query);
            assertEquals(r.raw(), 200, r.status());
            Map<String, Double> ranked = new LinkedHashMap<>();
            for (Map<String, Object> hit : r.<List<Map<String, Object>>>path("hits.hits")) {
                ranked.put((String) hit.get("_id"), ((Number) hit.get("_score")).doubleValue());
            }
            assertEquals(fusion, K, ranked.size());
            if (first == null) {
                first = ranked;
            } else {
                assertEquals(fusion + ", " + index + ": same ids in the same order", new ArrayList<>(first.keySet()), new ArrayList<>(ranked.keySet()));
                for (String id : first.keySet()) {
                    assertEquals(fusion + ", " + index + ": score of " + id, first.get(id), ranked.get(id), 1e-6);
                }
            }
        }
        List<Double> best = reference.values().stream().sorted(Comparator.reverseOrder()).limit(K).toList();
        List<Double> got = new ArrayList<>(first.values());
        for (int i = 0; i < K; i++) {
            // rank modes push tied scores one float ulp apart to keep their order on every layout
            assertEquals(fusion + ": score at position " + i, best.get(i), got.get(i), 1e-5);
            String id = new ArrayList<>(first.keySet()).get(i);
            assertEquals(fusion + ": reference score of " + id, reference.get(id), got.get(i), 1e-5);
        }
    }

    private static final String TEXT = "a dog runs through the water";

    /** Exact cosine of every stored vector with the probe, best first. */
    private static Map<String, Double> cosines() {
        List<Double> q = vectors.get(probe());
        Map<String, Double> cosine = new LinkedHashMap<>();
        vectors.keySet().stream().map(id -> Map.entry(id, ClusterClient.cosine(vectors.get(id), q)))
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .forEach(e -> cosine.put(e.getKey(), e.getValue()));
        return cosine;
    }


    /** BM25 with index-wide statistics, best first, the K best. */
    private static Map<String, Double> bm25() throws IOException {
        return bm25(K);
    }

    private static Map<String, Double> bm25All() throws IOException {
        return bm25(DOCS);
    }

    private static Map<String, Double> bm25(int size) throws IOException {
        ClusterClient.Response r = cluster.post("/" + index(3) + "/_search?search_type=dfs_query_then_fetch",
            "{\"size\": " + size + ", \"_source\": false, \"query\": {\"multi_match\": {\"query\": \"" + TEXT + "\", \"fields\": [\"title\"]}}}");
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Object> hit : r.<List<Map<String, Object>>>path("hits.hits")) {
            out.put((String) hit.get("_id"), ((Number) hit.get("_score")).doubleValue());
        }
        return out;
    }

    private static Map<String, Double> rrf(Map<String, Double> cosine, Map<String, Double> bm25) {
        Map<String, Double> fused = new HashMap<>();
        List<String> byCosine = new ArrayList<>(cosine.keySet()).subList(0, K);
        for (int i = 0; i < K; i++) {
            fused.merge(byCosine.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        List<String> byText = new ArrayList<>(bm25.keySet());
        for (int i = 0; i < byText.size(); i++) {
            fused.merge(byText.get(i), 1.0 / (60 + i + 1), Double::sum);
        }
        return fused;
    }

    /** Weighted mean of normalized scores; the vector side's raw score is Lucene's cosine score (1 + cosine) / 2. */
    private static Map<String, Double> linear(String normalization, double wv, double wt, Map<String, Double> cosine, Map<String, Double> bm25) {
        Map<String, Double> vectorRaw = new LinkedHashMap<>();
        new ArrayList<>(cosine.keySet()).subList(0, K).forEach(id -> vectorRaw.put(id, (1 + cosine.get(id)) / 2));
        Map<String, Double> v = normalize(normalization, vectorRaw);
        Map<String, Double> t = normalize(normalization, bm25);
        Map<String, Double> fused = new HashMap<>();
        v.forEach((id, x) -> fused.merge(id, wv * x / (wv + wt), Double::sum));
        t.forEach((id, x) -> fused.merge(id, wt * x / (wv + wt), Double::sum));
        return fused;
    }

    private static Map<String, Double> normalize(String normalization, Map<String, Double> raw) {
        double min = raw.values().stream().mapToDouble(d -> d).min().orElse(0), max = raw.values().stream().mapToDouble(d -> d).max().orElse(0);
        double mean = raw.values().stream().mapToDouble(d -> d).average().orElse(0);
        double std = Math.sqrt(raw.values().stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / raw.size());
        double l2 = Math.sqrt(raw.values().stream().mapToDouble(d -> d * d).sum());
        Map<String, Double> out = new LinkedHashMap<>();
        raw.forEach((id, x) -> out.put(id, switch (normalization) {
            case "min_max" -> max == min ? 1.0 : Math.max((x - min) / (max - min), x == min ? 0.001 : 0);
            case "z_score" -> (x - mean) / std;
            default -> x / l2;
        }));
        return out;
    }
}
