package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.testing.FolderZip;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/**
 * A model registered through REST on one node serves every node: mini-clip, zipped here at test time (no model file is in
 * the repository), is uploaded in chunks under a name no node has a folder for, registered, used by a pipeline and by
 * clip_hybrid through the other nodes, then deleted, after which each node refuses it by name.
 */
public class RegisteredModelsIT {
    private static final String MODEL = "registered-mini-clip";
    private static final String INDEX = "clip-images-registered-models-it";
    private static final String DOG = "1082379191_ec1e53f996.jpg";
    /** Small chunks, so that the upload takes several. */
    private static final int CHUNK = 4 * 1024 * 1024;
    private static final Set<String> MODEL_FILES = Set.of(
        "config.json", "preprocessor_config.json", "tokenizer.json", "text_model.onnx", "vision_model.onnx"
    );

    private final ClusterClient cluster = new ClusterClient();

    private static byte[] zipOfMiniClip() throws IOException {
        Path folder = Path.of(System.getProperty("shared.dir", "../shared"), "models", "mini-clip-flickr8k");
        return FolderZip.of(folder, f -> MODEL_FILES.contains(folder.relativize(f).toString()));
    }

    /** A client for node {@code i}: test-cluster/start gives node i the HTTP port of the first plus i. */
    static ClusterClient node(int i) {
        String base = System.getProperty("tests.cluster", "http://127.0.0.1:9200");
        int colon = base.lastIndexOf(':');
        String url = base.substring(0, colon + 1) + (Integer.parseInt(base.substring(colon + 1)) + i);
        String previous = System.getProperty("tests.cluster");
        System.setProperty("tests.cluster", url);
        try {
            return new ClusterClient();
        } finally {
            System.setProperty("tests.cluster", previous == null ? base : previous);
        }
    }

    private Map<String, Object> listed(ClusterClient client) throws IOException {
        ClusterClient.Response models = client.get("/_plugins/clip/models");
        assertEquals(models.raw(), 200, models.status());
        return models.<List<Map<String, Object>>>path("models").stream().filter(m -> MODEL.equals(m.get("name"))).findFirst().orElse(null);
    }

    /**
     * GET models on the first node lists the model on every node: loaded, with its load time, when and the ONNX files' bytes,
     * on the node that deployed it, and not loaded on the others, none of which has used it yet.
     */
    @SuppressWarnings("unchecked")
    /** After {@code _deploy}, GET models shows the model loaded on every node, each with its own figures. */
    private void assertLoadedOnEveryNode(int nodes) throws IOException {
        Path folder = Path.of(System.getProperty("shared.dir", "../shared"), "models", "mini-clip-flickr8k");
        long onnx = Files.size(folder.resolve("text_model.onnx")) + Files.size(folder.resolve("vision_model.onnx"));
        Map<String, Object> entry = listed(cluster);
        List<Map<String, Object>> perNode = (List<Map<String, Object>>) entry.get("nodes");
        assertEquals(String.valueOf(entry), nodes, perNode.size());
        assertEquals(String.valueOf(entry), nodes, perNode.stream().map(n -> n.get("node")).distinct().count());
        for (Map<String, Object> n : perNode) {
            assertEquals(String.valueOf(n), true, n.get("loaded"));
            assertEquals(String.valueOf(n), "registered", n.get("source"));
            assertTrue(String.valueOf(n), ((Number) n.get("load_millis")).longValue() >= 0);
            long at = ((Number) n.get("loaded_at_millis")).longValue();
            assertTrue(String.valueOf(n), at > System.currentTimeMillis() - 600_000 && at <= System.currentTimeMillis() + 60_000);
            assertEquals(String.valueOf(n), onnx, ((Number) n.get("onnx_bytes")).longValue());
        }
    }

    @Test
    public void registerUseAndDeleteThroughTheCluster() throws Exception {
        int nodes = cluster.get("/_cluster/health").<Number>path("number_of_nodes").intValue();
        ClusterClient last = node(nodes - 1);
        cluster.delete("/_plugins/clip/models/" + MODEL);
        cluster.delete("/" + INDEX);

        byte[] zip = zipOfMiniClip();
        int chunks = 0;
        for (int at = 0; at < zip.length; at += CHUNK, chunks++) {
            byte[] part = Arrays.copyOfRange(zip, at, Math.min(zip.length, at + CHUNK));
            ClusterClient.Response put = cluster.put("/_plugins/clip/models/" + MODEL + "/_chunk/" + chunks,
                "{\"data\": \"" + Base64.getEncoder().encodeToString(part) + "\"}");
            assertEquals(put.raw(), 200, put.status());
        }
        assertTrue("the upload takes several chunks", chunks > 1);
        ClusterClient.Response registered = cluster.post("/_plugins/clip/models/" + MODEL + "/_register", null);
        assertEquals(registered.raw(), 200, registered.status());
        List<Map<String, Object>> files = registered.path("files");
        assertEquals(registered.raw(), MODEL_FILES.size(), files.size());
        files.forEach(f -> assertTrue(String.valueOf(f), String.valueOf(f.get("sha256")).matches("[0-9a-f]{64}")));

        ClusterClient.Response again = cluster.post("/_plugins/clip/models/" + MODEL + "/_register", null);
        assertEquals("registered twice: " + again.raw(), 400, again.status());

        Map<String, Object> entry = listed(last);
        assertNotNull("GET models on another node lists it", entry);
        assertEquals(String.valueOf(entry), "registered", entry.get("source"));

        // _deploy loads it on every node: each fetches the chunks, checks them and answers its own state
        ClusterClient.Response deployed = last.post("/_plugins/clip/models/" + MODEL + "/_deploy", null);
        assertEquals(deployed.raw(), 200, deployed.status());
        List<Map<String, Object>> deployedOn = deployed.path("nodes");
        assertEquals(deployed.raw(), nodes, deployedOn.size());
        for (Map<String, Object> node : deployedOn) {
            assertEquals(deployed.raw(), true, node.get("loaded"));
            assertEquals(deployed.raw(), "registered", node.get("source"));
        }
        assertLoadedOnEveryNode(nodes);
        ClusterClient.Response unknown = last.post("/_plugins/clip/models/no-such-model/_deploy", null);
        assertEquals(unknown.raw(), 400, unknown.status());
        assertTrue(unknown.raw(), unknown.raw().contains("no-such-model"));

        ClusterClient.Response pipeline = cluster.put("/_ingest/pipeline/registered-models-it",
            "{\"processors\": [{\"clip_embedding\": {\"field\": \"image\", \"target_field\": \"image_vector\", \"model\": \"" + MODEL + "\"}}]}");
        assertEquals(pipeline.raw(), 200, pipeline.status());
        // the index takes its mapping (256-d image_vector) from the clip-images template, as VectorModelsIT's does
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        ClusterClient.Response doc = cluster.put("/" + INDEX + "/_doc/dog?pipeline=registered-models-it&refresh=true",
            "{\"image\": \"" + DOG + "\", \"title\": \"a dog\"}");
        assertEquals(doc.raw(), 201, doc.status());

        String query = "{\"query\": {\"clip_hybrid\": {\"query_text\": \"a dog running\", \"model\": \"" + MODEL + "\","
            + " \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}";
        for (int i = 0; i < nodes; i++) {
            ClusterClient.Response hits = node(i).post("/" + INDEX + "/_search", query);
            assertEquals("node " + i + ": " + hits.raw(), 200, hits.status());
            assertEquals(hits.raw(), "dog", hits.path("hits.hits.0._id"));
        }

        ClusterClient.Response deleted = cluster.delete("/_plugins/clip/models/" + MODEL);
        assertEquals(deleted.raw(), 200, deleted.status());
        ClusterClient.Response gone = cluster.delete("/_plugins/clip/models/" + MODEL);
        assertEquals(gone.raw(), 404, gone.status());
        assertTrue(gone.raw(), gone.raw().contains("CLIP model [" + MODEL + "] is not registered"));

        // the node that ran the delete dropped it at once; each other node checks on use that a registered model it serves
        // is still registered (plugins.clip.model.registered_recheck_interval, 10s by default), then refuses it by name.
        // The query text is the one encoded before: the query-text cache must not answer for a deleted model.
        for (int i = 0; i < nodes; i++) {
            ClusterClient client = node(i);
            ClusterClient.Response refused = null;
            for (int tries = 0; tries < 60; tries++) {
                refused = client.post("/" + INDEX + "/_search", query);
                if (refused.status() != 200) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals("node " + i + ": " + refused.raw(), 400, refused.status());
            assertTrue(refused.raw(), refused.raw().contains("unknown CLIP model [" + MODEL + "]"));
        }
        cluster.delete("/" + INDEX);
        cluster.delete("/_ingest/pipeline/registered-models-it");
    }
}
