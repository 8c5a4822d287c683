package org.opensearch.cliphybrid.it;

import org.junit.After;
import org.junit.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** _plugins/clip/_embed and _plugins/clip/models on a real node: the vectors are the ones ingest writes and the query searches. */
public class EmbedRestIT {
    private static final String INDEX = "clip-images-it-embed";
    private static final String DOG = "1082379191_ec1e53f996.jpg";
    private static final String EMBED = "/_plugins/clip/_embed";

    private final ClusterClient cluster = new ClusterClient();

    @After
    public void dropIndex() throws IOException {
        cluster.delete("/" + INDEX);
    }

    private ClusterClient.Response embed(String body) throws IOException {
        return cluster.post(EMBED, body);
    }

    @Test
    public void aTextGivesA256DimensionalUnitVector() throws IOException {
        // GET with a body as well as POST, as _search allows
        ClusterClient.Response r = cluster.send("GET", EMBED, "{\"texts\": \"a dog\"}");
        assertEquals(r.raw(), 200, r.status());
        assertEquals("mini-clip-flickr8k", r.path("model"));
        assertEquals(256, r.<Number>path("dimension").intValue());
        assertEquals("a dog", r.path("texts.0.text"));
        assertEquals(List.of(), r.path("images"));
        List<Number> vector = r.path("texts.0.embedding");
        assertEquals(256, vector.size());
        double norm = 0;
        for (Number x : vector) {
            norm += x.doubleValue() * x.doubleValue();
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-4);
    }

    @Test
    public void anImageGivesTheVectorThePipelineWrites() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        ClusterClient.Response indexed = cluster.put("/" + INDEX + "/_doc/dog?refresh=true", "{\"image\": \"" + DOG + "\"}");
        assertEquals(indexed.raw(), 201, indexed.status());
        List<Number> stored = cluster.get("/" + INDEX + "/_doc/dog").path("_source.image_vector");

        // not first and not alone, so that neither the position nor the other entries change the vector
        ClusterClient.Response r = embed("{\"texts\": \"a dog\", \"images\": [\"2862004252_53894bb28b.jpg\", \"" + DOG + "\"]}");
        assertEquals(r.raw(), 200, r.status());
        assertEquals("file [" + DOG + "]", r.path("images.1.source"));
        assertEquals(stored, r.path("images.1.embedding"));
    }

    @Test
    public void anEmbeddedTextRanksAsTheSameQueryText() throws IOException {
        String text = "a dog runs across the grass";
        List<?> vector = embed("{\"texts\": [\"" + text + "\"]}").path("texts.0.embedding");
        String common = "\"query_text\": \"" + text + "\", \"vector_field\": \"image_vector\", \"text_fields\": [\"title^2\"], \"k\": 100";
        ClusterClient.Response byText = cluster.post("/" + DemoSearchIT.INDEX + "/_search", "{\"size\": 10, \"query\": {\"clip_hybrid\": {"
            + common + "}}}");
        ClusterClient.Response byVector = cluster.post("/" + DemoSearchIT.INDEX + "/_search", "{\"size\": 10, \"query\": {\"clip_hybrid\": {"
            + common + ", \"query_vector\": " + vector + "}}}");
        assertEquals(byText.raw(), 200, byText.status());
        assertEquals(byVector.raw(), 200, byVector.status());
        List<Map<String, Object>> expected = byText.path("hits.hits");
        List<Map<String, Object>> actual = byVector.path("hits.hits");
        assertEquals(10, expected.size());
        SameHits.assertSameHits(expected, actual);
    }

    @Test
    public void badRequestsNameWhatIsWrong() throws IOException {
        assertBadRequest("{}", "nothing to embed");
        assertBadRequest("{\"texts\": [\"a dog\"], \"colour\": 1}", "unknown field [colour]");
        assertBadRequest("{\"texts\": [\"a dog\"], \"model\": \"nope\"}", "unknown CLIP model [nope]");
        assertBadRequest("{\"images\": [\"" + DOG + "\", \"x.jpg\"]}", "images[1] file [x.jpg]: no such image file [x.jpg]");
        assertBadRequest("{\"images\": [\"ftp://example.com/a.jpg\"]}", "images[0]: unsupported URL scheme [ftp]");
        assertBadRequest("{\"images\": [\"../../../../etc/passwd\"]}", "images[0] file [../../../../etc/passwd]: image path");
        ClusterClient.Response noBody = cluster.post(EMBED, null);
        assertEquals(noBody.raw(), 400, noBody.status());
    }

    private void assertBadRequest(String body, String fragment) throws IOException {
        ClusterClient.Response r = embed(body);
        assertEquals(r.raw(), 400, r.status());
        assertTrue("[" + fragment + "] not in " + r.raw(), r.raw().contains(fragment));
    }

    @Test
    public void modelsListsTheDefaultAsLoaded() throws IOException {
        assertEquals(200, embed("{\"texts\": \"load it\"}").status());
        ClusterClient.Response r = cluster.get("/_plugins/clip/models");
        assertEquals(r.raw(), 200, r.status());
        assertEquals("mini-clip-flickr8k", r.path("default"));
        assertNotNull(r.raw(), r.path("node"));
        Map<String, Object> model = r.<List<Map<String, Object>>>path("models")
            .stream()
            .filter(m -> "mini-clip-flickr8k".equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(r.raw()));
        assertEquals(r.raw(), Boolean.TRUE, model.get("default"));
        assertEquals(r.raw(), Boolean.TRUE, model.get("loaded"));
        assertEquals(r.raw(), 256, ((Number) model.get("dimension")).intValue());
        assertEquals(r.raw(), "clip", model.get("family"));
        assertEquals(r.raw(), "hugging_face", model.get("layout"));
        assertTrue(r.raw(), ((Number) model.get("load_millis")).longValue() >= 0);
    }
}
