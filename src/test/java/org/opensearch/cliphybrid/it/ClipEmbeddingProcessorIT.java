package org.opensearch.cliphybrid.it;

import com.sun.net.httpserver.HttpServer;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** The clip_embedding processor in a real node, through the pipeline and index template users PUT. */
public class ClipEmbeddingProcessorIT {
    private static final String INDEX = "clip-images-it-ingest";
    private static final String DOG = "1082379191_ec1e53f996.jpg";

    private final ClusterClient cluster = new ClusterClient();
    private HttpServer server;

    @Before
    public void freshIndex() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
    }

    @After
    public void cleanUp() throws IOException {
        if (server != null) {
            server.stop(0);
        }
        cluster.delete("/" + INDEX);
        cluster.put(
            "/_cluster/settings",
            "{\"transient\":{\"plugins.clip.fetch.allow_private_addresses\":null,\"plugins.clip.ingest.max_bytes_in_flight\":null}}"
        );
    }

    private byte[] dogBytes() throws IOException {
        return Files.readAllBytes(SharedFixtures.flickrImages().resolve(DOG));
    }

    @SuppressWarnings("unchecked")
    private List<Number> vectorOf(String id) throws IOException {
        ClusterClient.Response doc = cluster.get("/" + INDEX + "/_doc/" + id);
        assertEquals(doc.raw(), 200, doc.status());
        return (List<Number>) ((Map<String, Object>) doc.path("_source")).get("image_vector");
    }

    @Test
    public void pathBase64AndDataUriGiveTheSameUnitVector() throws IOException {
        String b64 = Base64.getEncoder().encodeToString(dogBytes());
        String bulk = "{\"index\":{\"_id\":\"path\"}}\n{\"image\":\"" + DOG + "\"}\n"
            + "{\"index\":{\"_id\":\"b64\"}}\n{\"image\":\"" + b64 + "\"}\n"
            + "{\"index\":{\"_id\":\"data\"}}\n{\"image\":\"data:image/jpeg;base64," + b64 + "\"}\n";
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true", bulk);
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        List<Number> path = vectorOf("path");
        assertEquals(256, path.size());
        double norm = 0;
        for (Number x : path) {
            norm += x.doubleValue() * x.doubleValue();
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-4);
        assertEquals(path, vectorOf("b64"));
        assertEquals(path, vectorOf("data"));
    }

    @Test
    public void brokenImagesFailAloneAndNameFieldAndCause() throws IOException {
        String garbage = Base64.getEncoder().encodeToString("this is not an image at all, just some text bytes".repeat(3).getBytes());
        String bulk = "{\"index\":{\"_id\":\"ok\"}}\n{\"image\":\"" + DOG + "\"}\n"
            + "{\"index\":{\"_id\":\"garbage\"}}\n{\"image\":\"" + garbage + "\"}\n"
            + "{\"index\":{\"_id\":\"missing-file\"}}\n{\"image\":\"no-such-image.jpg\"}\n"
            + "{\"index\":{\"_id\":\"escape\"}}\n{\"image\":\"../../../../etc/passwd\"}\n"
            + "{\"index\":{\"_id\":\"no-field\"}}\n{\"title\":\"no image here\"}\n"
            + "{\"index\":{\"_id\":\"ftp\"}}\n{\"image\":\"ftp://example.com/a.jpg\"}\n";
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true", bulk);
        assertEquals(r.raw(), Boolean.TRUE, r.path("errors"));
        List<Map<String, Object>> items = r.path("items");
        assertNull(r.raw(), ((Map<?, ?>) items.get(0).get("index")).get("error"));
        assertError(items.get(1), "field [image]", "not a supported image format");
        assertError(items.get(2), "field [image]", "no such image file [no-such-image.jpg]");
        assertError(items.get(3), "field [image]", "outside plugins.clip.images.path");
        assertError(items.get(4), "field [image]", "missing");
        assertError(items.get(5), "field [image]", "only http and https");
        assertEquals(256, vectorOf("ok").size());
        assertEquals(404, cluster.get("/" + INDEX + "/_doc/garbage").status());
    }

    private static void assertError(Map<String, Object> item, String... fragments) {
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) item.get("index")).get("error");
        assertNotNull("expected an error in " + item, error);
        String reason = error.get("type") + ": " + error.get("reason");
        for (String fragment : fragments) {
            assertTrue("[" + fragment + "] not in [" + reason + "]", reason.contains(fragment));
        }
    }

    @Test
    public void ignoreMissingAndOnFailure() throws IOException {
        cluster.put("/_ingest/pipeline/clip-lenient", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "ignore_missing": true,
              "on_failure": [{"set": {"field": "embedding_error", "value": "{{ _ingest.on_failure_message }}"}}]}}]}""");
        String bulk = "{\"index\":{\"_id\":\"no-field\"}}\n{\"title\":\"nothing to embed\"}\n"
            + "{\"index\":{\"_id\":\"bad\"}}\n{\"image\":\"no-such-image.jpg\"}\n";
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true&pipeline=clip-lenient", bulk);
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        ClusterClient.Response bad = cluster.get("/" + INDEX + "/_doc/bad");
        String error = bad.path("_source.embedding_error");
        assertTrue(bad.raw(), error != null && error.contains("no such image file"));
        assertFalse(bad.raw(), bad.raw().contains("image_vector"));
        assertEquals(200, cluster.get("/" + INDEX + "/_doc/no-field").status());
    }

    @Test
    public void fetchesUrlsOnlyWhenPrivateAddressesAreAllowed() throws IOException {
        byte[] dog = dogBytes();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/dog.jpg", exchange -> {
            exchange.sendResponseHeaders(200, dog.length);
            exchange.getResponseBody().write(dog);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/dog.jpg");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();

        ClusterClient.Response refused = cluster.put("/" + INDEX + "/_doc/url?refresh=true", "{\"image\":\"" + url + "/dog.jpg\"}");
        assertEquals(refused.raw(), 400, refused.status());
        assertTrue(refused.raw(), refused.raw().contains("loopback"));

        cluster.put("/_cluster/settings", "{\"transient\":{\"plugins.clip.fetch.allow_private_addresses\":true}}");
        ClusterClient.Response fetched = cluster.put("/" + INDEX + "/_doc/url?refresh=true", "{\"image\":\"" + url + "/moved\"}");
        assertEquals(fetched.raw(), 201, fetched.status());
        cluster.put("/" + INDEX + "/_doc/path?refresh=true", "{\"image\":\"" + DOG + "\"}");
        assertEquals(vectorOf("path"), vectorOf("url"));

        ClusterClient.Response notFound = cluster.put("/" + INDEX + "/_doc/gone?refresh=true", "{\"image\":\"" + url + "/gone.jpg\"}");
        assertEquals(notFound.raw(), 400, notFound.status());
        assertTrue(notFound.raw(), notFound.raw().contains("HTTP 404"));
    }

    private void putBatchingPipeline(int batchSize) throws IOException {
        ClusterClient.Response put = cluster.put("/_ingest/pipeline/clip-batched", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "batch_size": %d,
              "ignore_missing": true}}]}""".formatted(batchSize));
        assertEquals(put.raw(), 200, put.status());
    }

    @Test
    public void batchesEmbedEveryDocumentAndFailOnlyTheBadOnes() throws IOException {
        putBatchingPipeline(4);
        String other = "2862004252_53894bb28b.jpg";
        String bulk = "{\"index\":{\"_id\":\"dog\"}}\n{\"image\":\"" + DOG + "\"}\n"
            + "{\"index\":{\"_id\":\"missing-file\"}}\n{\"image\":\"no-such-image.jpg\"}\n"
            + "{\"index\":{\"_id\":\"other\"}}\n{\"image\":\"" + other + "\"}\n"
            + "{\"index\":{\"_id\":\"no-field\"}}\n{\"title\":\"passes unchanged\"}\n"
            + "{\"index\":{\"_id\":\"number\"}}\n{\"image\":42}\n"
            + "{\"index\":{\"_id\":\"dog-again\"}}\n{\"image\":\"" + DOG + "\"}\n";
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true&pipeline=clip-batched", bulk);
        assertEquals(r.raw(), Boolean.TRUE, r.path("errors"));
        List<Map<String, Object>> items = r.path("items");
        for (int ok : new int[] { 0, 2, 3, 5 }) {
            assertNull(r.raw(), ((Map<?, ?>) items.get(ok).get("index")).get("error"));
        }
        assertError(items.get(1), "field [image] file [no-such-image.jpg]", "no such image file");
        assertError(items.get(4), "field [image]", "must be a string");
        // a batch may change a vector in its last bits (ONNX Runtime's batched kernels), never more
        List<Number> single = cluster.post("/_plugins/clip/_embed", "{\"images\": [\"" + DOG + "\"]}").path("images.0.embedding");
        for (String id : new String[] { "dog", "dog-again" }) {
            List<Number> batched = vectorOf(id);
            for (int i = 0; i < single.size(); i++) {
                assertEquals(single.get(i).doubleValue(), batched.get(i).doubleValue(), 1e-6);
            }
        }
        assertEquals(200, cluster.get("/" + INDEX + "/_doc/no-field").status());
    }

    @Test
    public void onFailureAndIgnoreFailureWorkPerDocumentInABatch() throws IOException {
        cluster.put("/_ingest/pipeline/clip-batched-lenient", """
            {"processors": [
              {"clip_embedding": {"field": "image", "target_field": "image_vector", "batch_size": 2,
                "on_failure": [{"set": {"field": "embedding_error", "value": "{{ _ingest.on_failure_message }}"}}]}},
              {"clip_embedding": {"field": "second", "target_field": "second_vector", "batch_size": 2, "ignore_failure": true}}]}""");
        String bulk = "{\"index\":{\"_id\":\"good\"}}\n{\"image\":\"" + DOG + "\",\"second\":\"" + DOG + "\"}\n"
            + "{\"index\":{\"_id\":\"bad\"}}\n{\"image\":\"no-such-image.jpg\",\"second\":\"nor-this.jpg\"}\n"
            + "{\"index\":{\"_id\":\"bad-second\"}}\n{\"image\":\"" + DOG + "\",\"second\":\"nor-this.jpg\"}\n";
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true&pipeline=clip-batched-lenient", bulk);
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        ClusterClient.Response good = cluster.get("/" + INDEX + "/_doc/good");
        assertEquals(good.raw(), 256, good.<List<?>>path("_source.image_vector").size());
        assertEquals(good.raw(), 256, good.<List<?>>path("_source.second_vector").size());
        ClusterClient.Response bad = cluster.get("/" + INDEX + "/_doc/bad");
        String error = bad.path("_source.embedding_error");
        assertTrue(bad.raw(), error != null && error.contains("no such image file [no-such-image.jpg]"));
        assertFalse(bad.raw(), bad.raw().contains("image_vector"));
        ClusterClient.Response badSecond = cluster.get("/" + INDEX + "/_doc/bad-second");
        assertEquals(badSecond.raw(), 256, badSecond.<List<?>>path("_source.image_vector").size());
        assertFalse(badSecond.raw(), badSecond.raw().contains("second_vector"));
        assertFalse(badSecond.raw(), badSecond.raw().contains("embedding_error"));
    }

    @Test
    public void aLoneBulkIndexesEveryItemEvenPastTheByteBudget() throws IOException {
        putBatchingPipeline(3);
        // the budget holds one image at most: a lone bulk's later images wait for the room its earlier ones free
        cluster.put("/_cluster/settings", "{\"transient\":{\"plugins.clip.ingest.max_bytes_in_flight\":\"1b\"}}");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"image\":\"").append(DOG).append("\"}\n");
        }
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true&pipeline=clip-batched", bulk.toString());
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        assertEquals(r.raw(), 7, ((Number) cluster.get("/" + INDEX + "/_count").path("count")).intValue());
    }

    @Test
    public void oneBulkOfThreeThousandImagesIndexesEveryItem() throws IOException {
        putBatchingPipeline(8);
        List<String> files;
        try (var listing = Files.list(SharedFixtures.flickrImages())) {
            files = listing.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jpg")).sorted().toList();
        }
        StringBuilder bulk = new StringBuilder();
        int count = 3000;
        for (int i = 0; i < count; i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"image\":\"").append(files.get(i % files.size())).append("\"}\n");
        }
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true&pipeline=clip-batched", bulk.toString());
        assertEquals(200, r.status());
        List<Map<String, Object>> items = r.path("items");
        assertEquals(count, items.size());
        for (Map<String, Object> item : items) {
            assertNull(String.valueOf(item), ((Map<?, ?>) item.get("index")).get("error"));
        }
        assertEquals(count, ((Number) cluster.get("/" + INDEX + "/_count").path("count")).intValue());
    }

    @Test
    public void simulateShowsTheVector() throws IOException {
        ClusterClient.Response r = cluster.post("/_ingest/pipeline/clip-images/_simulate", "{\"docs\":[{\"_source\":{\"image\":\"" + DOG + "\"}}]}");
        assertEquals(r.raw(), 200, r.status());
        List<?> vector = r.path("docs.0.doc._source.image_vector");
        assertEquals(r.raw(), 256, vector.size());
    }
}
