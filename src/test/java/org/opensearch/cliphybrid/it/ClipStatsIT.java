package org.opensearch.cliphybrid.it;

import org.junit.After;
import org.junit.Test;

import java.io.IOException;
import java.util.Set;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** GET _plugins/clip/stats on a real node: the agreed shape, and counters that move with the work done. */
public class ClipStatsIT {
    private static final String INDEX = "clip-images-it-stats";
    private static final String STATS = "/_plugins/clip/stats";

    private final ClusterClient cluster = new ClusterClient();

    @After
    public void dropIndex() throws IOException {
        cluster.delete("/" + INDEX);
    }

    /** Every node of the cluster, by id; checks that each one answered. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> nodes(ClusterClient.Response r) throws IOException {
        assertEquals(r.raw(), 200, r.status());
        Map<String, Map<String, Object>> nodes = r.path("nodes");
        assertNotNull(r.raw(), nodes);
        Map<String, Object> cluster = this.cluster.get("/_nodes").path("nodes");
        assertEquals(r.raw(), cluster.keySet(), nodes.keySet());
        return nodes;
    }

    private static long number(Map<String, Object> node, String dotted) {
        Object current = node;
        for (String part : dotted.split("\\.")) {
            current = ((Map<?, ?>) current).get(part);
        }
        assertNotNull(dotted + " in " + node, current);
        return ((Number) current).longValue();
    }

    /** Summed over the nodes: whichever node ran the pipeline, the cluster's total moves. */
    private static long total(Map<String, Map<String, Object>> nodes, String dotted) {
        long sum = 0;
        for (Map<String, Object> node : nodes.values()) {
            sum += number(node, dotted);
        }
        return sum;
    }

    @Test
    public void everyNodeReportsTheAgreedFields() throws IOException {
        ClusterClient.Response r = cluster.get(STATS);
        assertNotNull(r.raw(), r.path("cluster_name"));
        for (Map<String, Object> node : nodes(r).values()) {
            assertEquals(Set.of("name", "images", "embeddings", "batches", "latency_ms", "queue", "models"), node.keySet());
            for (String cause : new String[] { "too_large", "timeout", "decode", "blocked_address", "not_found", "http_status" }) {
                number(node, "images.failures." + cause);
            }
            for (String stage : new String[] { "fetch", "decode", "preprocess", "inference", "text_inference" }) {
                for (String field : new String[] { "count", "total", "p50", "p95", "p99" }) {
                    number(node, "latency_ms." + stage + "." + field);
                }
            }
            for (String pool : new String[] { "inference", "query", "fetch" }) {
                for (String field : new String[] { "active", "queued", "rejected" }) {
                    number(node, "queue." + pool + "." + field);
                }
            }
        }
        Map<String, Map<String, Object>> local = cluster.get(STATS + "?nodes=_local").path("nodes");
        assertEquals(local.toString(), 1, local.size());
    }

    @Test
    public void countersFollowTheWork() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.put("/_ingest/pipeline/clip-stats-batched", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "batch_size": 3}}]}""");
        Map<String, Map<String, Object>> before = nodes(cluster.get(STATS));
        String bulk = "{\"index\":{}}\n{\"image\":\"1082379191_ec1e53f996.jpg\"}\n"
            + "{\"index\":{}}\n{\"image\":\"2862004252_53894bb28b.jpg\"}\n"
            + "{\"index\":{}}\n{\"image\":\"1119015538_e8e796281e.jpg\"}\n"
            + "{\"index\":{}}\n{\"image\":\"no-such-image.jpg\"}\n";
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?pipeline=clip-stats-batched", bulk);
        assertEquals(r.raw(), 200, r.status());
        assertEquals(200, cluster.post("/_plugins/clip/_embed", "{\"texts\": [\"a dog\", \"a cat\"]}").status());
        Map<String, Map<String, Object>> after = nodes(cluster.get(STATS));

        assertEquals(3, total(after, "images.fetched") - total(before, "images.fetched"));
        assertTrue(total(after, "images.bytes") - total(before, "images.bytes") > 3 * 1000);
        assertEquals(1, total(after, "images.failures.not_found") - total(before, "images.failures.not_found"));
        assertEquals(3, total(after, "embeddings.image") - total(before, "embeddings.image"));
        assertEquals(2, total(after, "embeddings.text") - total(before, "embeddings.text"));
        assertEquals("one encoder call per text", 2, total(after, "latency_ms.text_inference.count") - total(before, "latency_ms.text_inference.count"));
        assertEquals("the three images in one model call", 1, total(after, "batches.count") - total(before, "batches.count"));
        assertEquals(3, total(after, "latency_ms.decode.count") - total(before, "latency_ms.decode.count"));
        assertEquals(1, total(after, "latency_ms.inference.count") - total(before, "latency_ms.inference.count"));
        assertTrue(after.toString(), after.values().stream().anyMatch(node -> number(node, "batches.max_size") >= 3));
        // a node lists only the models it has loaded: on a cluster, the node that ran the pipeline
        assertTrue(after.toString(), after.values().stream().anyMatch(node -> {
            Map<?, ?> model = (Map<?, ?>) ((Map<?, ?>) node.get("models")).get("mini-clip-flickr8k");
            return model != null && ((Number) model.get("load_ms")).longValue() > 0;
        }));
    }
}
