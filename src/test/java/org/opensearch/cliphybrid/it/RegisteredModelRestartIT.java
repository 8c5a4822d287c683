package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.testing.FolderZip;
import org.junit.Assume;
import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A registered model survives a node's restart: the SigLIP fixture, registered and searched through the last node, is
 * searched through that node again after test-cluster/restart-node has restarted it with its data. The restarted node
 * loads the model anew (from its disk cache, checked file by file against the registration, or from the system index),
 * and its query vector is the same as before. Needs two nodes or more, and the cluster folder (-Dtests.cluster.dir).
 */
public class RegisteredModelRestartIT {
    private static final Path FOLDER = Path.of("src/test/resources/families/siglip-tiny");
    private static final String NAME = "siglip-restart-it";
    private static final String INDEX = "clip-registered-restart-it";
    private static final String TEXT = "a photo of a red square";
    private final ClusterClient cluster = new ClusterClient();

    private ClusterClient.Response search(ClusterClient client) throws IOException {
        return client.post("/" + INDEX + "/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": \"" + TEXT + "\", \"model\": \""
            + NAME + "\", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
    }

    private static List<?> embedded(ClusterClient client) throws IOException {
        ClusterClient.Response r = client.post("/_plugins/clip/_embed", "{\"model\": \"" + NAME + "\", \"texts\": [\"" + TEXT + "\"]}");
        assertEquals(r.raw(), 200, r.status());
        return r.path("texts.0.embedding");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stateOn(String nodeName) throws IOException {
        ClusterClient.Response models = cluster.get("/_plugins/clip/models");
        Map<String, Object> entry = models.<List<Map<String, Object>>>path("models").stream()
            .filter(m -> NAME.equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(models.raw()));
        return ((List<Map<String, Object>>) entry.get("nodes")).stream()
            .filter(n -> nodeName.equals(n.get("node_name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(models.raw()));
    }

    @Test
    public void aRestartedNodeServesTheRegisteredModelAgain() throws Exception {
        String dir = System.getProperty("tests.cluster.dir");
        int nodes = cluster.get("/_cluster/health").<Number>path("number_of_nodes").intValue();
        Assume.assumeTrue("needs the cluster folder and two nodes or more", dir != null && nodes >= 2);
        ClusterClient last = RegisteredModelsIT.node(nodes - 1);
        String lastName = "node-" + nodes;
        cluster.delete("/_plugins/clip/models/" + NAME);
        cluster.delete("/" + INDEX);

        byte[] zip = FolderZip.of(FOLDER);
        ClusterClient.Response put = cluster.put("/_plugins/clip/models/" + NAME + "/_chunk/0",
            "{\"data\": \"" + Base64.getEncoder().encodeToString(zip) + "\"}");
        assertEquals(put.raw(), 200, put.status());
        ClusterClient.Response registered = cluster.post("/_plugins/clip/models/" + NAME + "/_register", null);
        assertEquals(registered.raw(), 200, registered.status());

        List<?> before = embedded(last);
        ClusterClient.Response created = cluster.put("/" + INDEX, """
            {"settings": {"index.knn": true, "number_of_shards": 1, "number_of_replicas": 0},
             "mappings": {"properties": {"title": {"type": "text"},
               "image_vector": {"type": "knn_vector", "dimension": %d, "space_type": "cosinesimil",
                 "method": {"name": "hnsw", "engine": "lucene"}}}}}""".formatted(before.size()));
        assertEquals(created.raw(), 200, created.status());
        ClusterClient.Response doc = cluster.put("/" + INDEX + "/_doc/square?refresh=true",
            "{\"title\": \"untitled\", \"image_vector\": " + before + "}");
        assertEquals(doc.raw(), 201, doc.status());
        ClusterClient.Response found = search(last);
        assertEquals(found.raw(), 200, found.status());
        assertEquals(found.raw(), "square", found.path("hits.hits.0._id"));
        assertEquals(true, stateOn(lastName).get("loaded"));

        long restartedAt = System.currentTimeMillis();
        Process restart = new ProcessBuilder("test-cluster/restart-node", "--dir", dir, "--node", String.valueOf(nodes))
            .redirectErrorStream(true)
            .start();
        boolean done = restart.waitFor(150, TimeUnit.SECONDS);
        String output = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("restart-node still running: " + output, done);
        assertEquals(output, 0, restart.exitValue());

        Map<String, Object> fresh = stateOn(lastName);
        assertEquals("a restarted node has loaded nothing yet: " + fresh, false, fresh.get("loaded"));
        ClusterClient.Response again = search(last);
        assertEquals(again.raw(), 200, again.status());
        assertEquals(again.raw(), "square", again.path("hits.hits.0._id"));
        Map<String, Object> reloaded = stateOn(lastName);
        assertEquals(String.valueOf(reloaded), true, reloaded.get("loaded"));
        assertTrue(String.valueOf(reloaded), ((Number) reloaded.get("loaded_at_millis")).longValue() >= restartedAt);
        assertEquals("the same model files, the same vector", before, embedded(last));

        cluster.delete("/" + INDEX);
        ClusterClient.Response deleted = cluster.delete("/_plugins/clip/models/" + NAME);
        assertEquals(deleted.raw(), 200, deleted.status());
    }
}
