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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyNode(ClusterClient.Response r) {
        Map<String, Object> nodes = r.path("nodes");
        assertNotNull(r.raw(), nodes);
        assertEquals(r.raw(), 1, nodes.size());
        return (Map<String, Object>) nodes.values().iterator().next();
    }

    private static long number(Map<String, Object> node, String dotted) {
        Object current = node;
        for (String part : dotted.split("\\.")) {
            current = ((Map<?, ?>) current).get(part);
        }
        assertNotNull(dotted + " in " + node, current);
        return ((Number) current).longValue();
    }

    @Test
    public void everyNodeReportsTheAgreedFields() throws IOException {
        ClusterClient.Response r = cluster.get(STATS);
        assertEquals(r.raw(), 200, r.status());
        assertNotNull(r.raw(), r.path("cluster_name"));
        Map<String, Object> node = onlyNode(r);
        assertEquals(Set.of("name", "images", "embeddings", "batches", "latency_ms", "queue", "models"), node.keySet());
        for (String cause : new String[] { "too_large", "timeout", "decode", "blocked_address", "not_found", "http_status" }) {
            number(node, "images.failures." + cause);
        }
        for (String stage : new String[] { "fetch", "decode", "preprocess", "inference" }) {
            for (String field : new String[] { "count", "total", "p50", "p95", "p99" }) {
                number(node, "latency_ms." + stage + "." + field);
            }
        }
        for (String pool : new String[] { "inference", "fetch" }) {
            for (String field : new String[] { "active", "queued", "rejected" }) {
                number(node, "queue." + pool + "." + field);
            }
        }
        assertEquals(onlyNode(r).get("name"), onlyNode(cluster.get(STATS + "?nodes=_local")).get("name"));
    }

    @Test
    public void countersFollowTheWork() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.put("/_ingest/pipeline/clip-stats-batched", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "batch_size": 3}}]}""");
        Map<String, Object> before = onlyNode(cluster.get(STATS));
        String bulk = "{\"index\":{}}\n{\"image\":\"1082379191_ec1e53f996.jpg\"}\n"
            + "{\"index\":{}}\n{\"image\":\"2862004252_53894bb28b.jpg\"}\n"
            + "{\"index\":{}}\n{\"image\":\"1119015538_e8e796281e.jpg\"}\n"
            + "{\"index\":{}}\n{\"image\":\"no-such-image.jpg\"}\n";
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?pipeline=clip-stats-batched", bulk);
        assertEquals(r.raw(), 200, r.status());
        assertEquals(200, cluster.post("/_plugins/clip/_embed", "{\"texts\": [\"a dog\", \"a cat\"]}").status());
        Map<String, Object> after = onlyNode(cluster.get(STATS));

        assertEquals(3, number(after, "images.fetched") - number(before, "images.fetched"));
        assertTrue(number(after, "images.bytes") - number(before, "images.bytes") > 3 * 1000);
        assertEquals(1, number(after, "images.failures.not_found") - number(before, "images.failures.not_found"));
        assertEquals(3, number(after, "embeddings.image") - number(before, "embeddings.image"));
        assertEquals(2, number(after, "embeddings.text") - number(before, "embeddings.text"));
        assertEquals(1, number(after, "batches.count") - number(before, "batches.count"));
        assertTrue(after.toString(), number(after, "batches.max_size") >= 3);
        assertEquals(3, number(after, "latency_ms.decode.count") - number(before, "latency_ms.decode.count"));
        assertEquals(1, number(after, "latency_ms.inference.count") - number(before, "latency_ms.inference.count"));
        assertTrue(after.toString(), number(after, "models.mini-clip-flickr8k.load_ms") > 0);
    }
}
