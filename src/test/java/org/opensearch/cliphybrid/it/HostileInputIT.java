package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.image.ImageFailure;
import org.opensearch.cliphybrid.testing.HostileImages;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * What an attacker sends, through every door an image comes in by ({@code _bulk}, {@code _embed}, {@code query_image}):
 * tiny files that ask for gigabytes in every supported format, decompression bombs, URLs that drip, redirect forever or
 * break their framing, and query bodies past every limit. Each gets, within the fetch deadline, an embedding or a 4xx that
 * names the cause; the other items of a bulk are indexed; and every node is still up afterwards.
 */
public class HostileInputIT {
    private static final String INDEX = "clip-images-it-hostile";
    private static final String DOG = "1082379191_ec1e53f996.jpg";
    /** plugins.clip.fetch.timeout for this test: short, so that a dripping server costs seconds, not the default 30. */
    private static final long FETCH_TIMEOUT_SECONDS = 3;
    /** The longest a hostile request may take to be answered: the deadline, and the time to decode and encode after it. */
    private static final long ANSWER_WITHIN_MILLIS = TimeUnit.SECONDS.toMillis(FETCH_TIMEOUT_SECONDS + 15);

    private static final ClusterClient cluster = new ClusterClient();
    private static HostileServer server;
    private static int nodes;

    @BeforeClass
    public static void setUp() throws IOException {
        Map<String, byte[]> images = new HashMap<>();
        for (HostileImages.Case c : HostileImages.all()) {
            images.put(c.name(), c.bytes());
        }
        server = new HostileServer(images);
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        ClusterClient.Response settings = cluster.put(
            "/_cluster/settings",
            "{\"transient\":{\"plugins.clip.fetch.allow_private_addresses\":true,\"plugins.clip.fetch.timeout\":\"" + FETCH_TIMEOUT_SECONDS + "s\"}}"
        );
        assertEquals(settings.raw(), 200, settings.status());
        // something to search, so that query_image reaches the shards
        ClusterClient.Response dog = cluster.put("/" + INDEX + "/_doc/dog?refresh=true", "{\"image\":\"" + DOG + "\"}");
        assertEquals(dog.raw(), 201, dog.status());
        nodes = cluster.get("/_cluster/health").<Number>path("number_of_nodes").intValue();
    }

    @AfterClass
    public static void tearDown() throws IOException {
        if (server != null) {
            server.close();
        }
        cluster.delete("/" + INDEX);
        cluster.put("/_cluster/settings", "{\"transient\":{\"plugins.clip.fetch.allow_private_addresses\":null,\"plugins.clip.fetch.timeout\":null}}");
    }

    @Test
    public void everyHostileImageGetsAnEmbeddingOrA400AndLeavesTheNodesUp() throws IOException {
        for (HostileImages.Case c : HostileImages.all()) {
            // as a data: URI: a bare base64 value shorter than 64 characters reads as a file name
            expect(c.toString(), "data:application/octet-stream;base64," + c.base64(), c.embeddable(), c.failure() == ImageFailure.TOO_LARGE ? "over the limit" : null);
        }
    }

    @Test
    public void theSameImagesByUrl() throws IOException {
        for (HostileImages.Case c : HostileImages.all()) {
            expect(c + " by URL", server.url("/image/" + c.name()), c.embeddable(), null);
        }
    }

    @Test
    public void urlsThatStallOrMisbehaveFailWithinTheDeadline() throws IOException {
        Map<String, String> cases = Map.of(
            "/drip",
            "plugins.clip.fetch.timeout",
            "/drip-headers",
            "plugins.clip.fetch.timeout",
            "/redirect/0",
            "redirect",
            "/negative-length",
            "broken HTTP response",
            "/huge-length",
            "",
            "/bad-chunk",
            "broken HTTP response",
            "/negative-chunk",
            "broken HTTP response"
        );
        for (Map.Entry<String, String> c : cases.entrySet()) {
            expect(c.getKey(), server.url(c.getKey()), false, c.getValue());
        }
    }

    @Test
    public void queryBodiesPastEveryLimitAre400() throws IOException {
        List<String> bodies = new ArrayList<>();
        bodies.add(clipHybrid("\"query_text\": [" + "\"dog\",".repeat(16) + "\"dog\"]"));
        bodies.add(clipHybrid("\"query_text\": \"" + "a".repeat(5000) + "\""));
        bodies.add(clipHybrid("\"query_text\": \"dog\", \"prompt_template\": \"{}" + "x".repeat(300) + "\""));
        bodies.add(clipHybrid("\"query_vector\": [" + "0.1,".repeat(16_000) + "0.1]"));
        bodies.add(clipHybrid("\"query_text\": \"dog\", \"k\": 1000000000"));
        bodies.add(clipHybrid("\"query_text\": \"dog\", \"ef_search\": -1"));
        bodies.add(clipHybrid("\"query_image\": \"../../../../etc/passwd\""));
        bodies.add(clipHybrid("\"query_image\": \"data:image/png;base64," + "A".repeat(30_000_000) + "\""));
        for (String body : bodies) {
            long start = System.nanoTime();
            ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", body);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String shown = body.length() > 200 ? body.substring(0, 200) + "..." : body;
            assertEquals(shown + " -> " + abbreviated(r.raw()), 400, r.status());
            assertTrue(shown + " took " + millis + " ms", millis < ANSWER_WITHIN_MILLIS);
            assertNodesUp(shown);
        }
        ClusterClient.Response embed = cluster.post("/_plugins/clip/_embed", "{\"texts\": [\"" + "a".repeat(3000) + "\"]}");
        assertEquals(embed.raw(), 400, embed.status());
        assertTrue(embed.raw(), embed.raw().contains("texts[0]"));
        ClusterClient.Response batch = cluster.put(
            "/_ingest/pipeline/clip-huge-batch",
            "{\"processors\": [{\"clip_embedding\": {\"field\": \"image\", \"target_field\": \"v\", \"batch_size\": 100000}}]}"
        );
        assertEquals(batch.raw(), 400, batch.status());
        assertTrue(batch.raw(), batch.raw().contains("batch_size"));
    }

    private static String clipHybrid(String options) {
        return "{\"query\": {\"clip_hybrid\": {\"vector_field\": \"image_vector\", " + options + "}}}";
    }

    /**
     * Sends {@code image} through the three doors. When it must embed, every door gives a vector; when it must not, every door
     * gives a 4xx whose reason names where it was and contains {@code cause} (when given); either way within the deadline,
     * with the bulk's other items indexed and every node still up.
     */
    private void expect(String what, String image, boolean embeddable, String cause) throws IOException {
        String bulk = "{\"index\":{\"_id\":\"before\"}}\n{\"image\":\"" + DOG + "\"}\n"
            + "{\"index\":{\"_id\":\"hostile\"}}\n{\"image\":\"" + image + "\"}\n"
            + "{\"index\":{\"_id\":\"after\"}}\n{\"image\":\"" + DOG + "\"}\n";
        ClusterClient.Response r = timed(what + " in a bulk", () -> cluster.post("/" + INDEX + "/_bulk?pipeline=clip-images", bulk));
        assertEquals(what + ": " + abbreviated(r.raw()), 200, r.status());
        List<Map<String, Object>> items = r.path("items");
        assertNull(what + ": " + abbreviated(r.raw()), error(items.get(0)));
        assertNull(what + ": " + abbreviated(r.raw()), error(items.get(2)));
        Map<?, ?> hostile = error(items.get(1));
        if (embeddable) {
            assertNull(what + " must embed: " + hostile, hostile);
        } else {
            assertNotNull(what + " must be refused", hostile);
            int status = ((Number) ((Map<?, ?>) items.get(1).get("index")).get("status")).intValue();
            assertClientError(what + " in a bulk", status, hostile.get("reason") + "", "field [image]", cause);
        }

        ClusterClient.Response embed = timed(what + " by _embed", () -> cluster.post("/_plugins/clip/_embed", "{\"images\": [\"" + image + "\"]}"));
        if (embeddable) {
            assertEquals(what + " by _embed: " + abbreviated(embed.raw()), 200, embed.status());
        } else {
            assertClientError(what + " by _embed", embed.status(), embed.raw(), "images[0]", cause);
        }

        ClusterClient.Response search = timed(
            what + " as query_image",
            () -> cluster.post("/" + INDEX + "/_search", clipHybrid("\"query_image\": \"" + image + "\""))
        );
        if (embeddable) {
            assertEquals(what + " as query_image: " + abbreviated(search.raw()), 200, search.status());
        } else {
            assertClientError(what + " as query_image", search.status(), search.raw(), "[query_image]", cause);
        }
        assertNodesUp(what);
    }

    private static Map<?, ?> error(Map<String, Object> item) {
        return (Map<?, ?>) ((Map<?, ?>) item.get("index")).get("error");
    }

    private static void assertClientError(String what, int status, String reason, String where, String cause) {
        assertTrue(what + " gave " + status + ": " + abbreviated(reason), status >= 400 && status < 500);
        assertTrue(what + " does not name [" + where + "]: " + abbreviated(reason), reason.contains(where));
        if (cause != null) {
            assertTrue(what + " does not name [" + cause + "]: " + abbreviated(reason), reason.contains(cause));
        }
    }

    private interface Call {
        ClusterClient.Response send() throws IOException;
    }

    private static ClusterClient.Response timed(String what, Call call) throws IOException {
        long start = System.nanoTime();
        ClusterClient.Response r = call.send();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(what + " took " + millis + " ms", millis < ANSWER_WITHIN_MILLIS);
        return r;
    }

    private static void assertNodesUp(String after) throws IOException {
        ClusterClient.Response health = cluster.get("/_cluster/health");
        assertEquals("after " + after + ": " + health.raw(), 200, health.status());
        assertEquals("after " + after + ": " + health.raw(), nodes, health.<Number>path("number_of_nodes").intValue());
    }

    private static String abbreviated(String raw) {
        return raw == null || raw.length() < 600 ? raw : raw.substring(0, 600) + "...";
    }
}
