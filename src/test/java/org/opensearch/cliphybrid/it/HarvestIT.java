package org.opensearch.cliphybrid.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.opensearch.cliphybrid.harvest.HarvestedImage;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * POST _plugins/clip/_harvest against a small site that this test serves on 127.0.0.1: pages with links, Flickr8k photos, a
 * robots.txt that shuts one folder, a missing page and a file that is no image. The node fetches from 127.0.0.1 only while
 * plugins.clip.fetch.allow_private_addresses is on, which the test sets and resets. It sets it under the deprecated old name
 * clip.fetch.allow_private_addresses on purpose, the one place that does: a harvest that gets its pages shows that a dynamic
 * update of an old name still reaches the setting the plugin reads, on a real node.
 */
public class HarvestIT {
    private static final String INDEX = "clip-images-it-harvest";
    /** The static-extraction pages go to their own index, so that each test's counts stand alone in either order. */
    private static final String STATIC_INDEX = "clip-images-it-harvest-static";
    private static final String DOG_SMALL = "256085101_2c2617c5d0.jpg";
    private static final String DOG_RUNNING = "2654514044_a70a6e2c21.jpg";
    private static final String SWING = "3453259666_9ecaa8bb4b.jpg";
    private static final String COUPLE = "1499581619_a5f65a882c.jpg";
    private static final String DOG_BEACH = "3642220260_3aa8a52670.jpg";
    private static final String PRIVATE = "2677656448_6b7e7702af.jpg";
    private static final String DEEP = "2847615962_c330bded6e.jpg";

    private static final ClusterClient cluster = new ClusterClient();
    private static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private static HttpServer server;
    private static String base;

    @BeforeClass
    public static void serveSiteAndAllowLoopback() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", HarvestIT::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        ClusterClient.Response r = cluster.put("/_cluster/settings", "{\"persistent\": {\"clip.fetch.allow_private_addresses\": true}}");
        assertEquals(r.raw(), 200, r.status());
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        cluster.delete("/" + STATIC_INDEX);
    }

    @AfterClass
    public static void stopSiteAndResetSetting() throws IOException {
        cluster.put("/_cluster/settings", "{\"persistent\": {\"clip.fetch.allow_private_addresses\": null}}");
        cluster.delete("/" + INDEX);
        cluster.delete("/" + STATIC_INDEX);
        if (server != null) {
            server.stop(0);
        }
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String html = page(path);
        if (path.equals("/robots.txt")) {
            send(exchange, 200, "text/plain", "User-agent: *\nDisallow: /private/\n".getBytes(StandardCharsets.UTF_8));
        } else if (html != null) {
            send(exchange, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/img/broken.jpg")) {
            send(exchange, 200, "image/jpeg", "this is not a picture".getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith("/img/") || path.startsWith("/private/img/")) {
            var file = SharedFixtures.flickrImages().resolve(path.substring(path.lastIndexOf('/') + 1));
            send(exchange, 200, "image/jpeg", Files.readAllBytes(file));
        } else {
            send(exchange, 404, "text/plain", "not here".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String page(String path) {
        return switch (path) {
            case "/index.html" -> """
                <html><head><title>Harvest home</title><meta property="og:image" content="/img/%s"></head><body>
                <h1>Dogs</h1>
                <img src="img/%s" srcset="img/%s 200w, img/%s 400w" alt="A brown dog running" title="Running">
                <h2>People</h2>
                <figure><img src="/img/%s"><figcaption>A couple kissing on the beach</figcaption></figure>
                <a href="page2.html">next</a> <a href="/private/secret.html">secret</a> <a href="/missing.html">gone</a>
                <a href="http://localhost:%d/page3.html">same server, other site</a>
                </body></html>""".formatted(SWING, DOG_SMALL, DOG_SMALL, DOG_RUNNING, COUPLE, server.getAddress().getPort());
            case "/page2.html" -> """
                <html><head><title>Page two</title></head><body><h2>Beach</h2>
                <img src="/img/%s" alt="again">
                <img src="/img/%s" alt="A black dog on a rocky beach">
                <img src="/img/broken.jpg" alt="broken">
                <img src="/private/img/%s" alt="private">
                <a href="/page3.html">deeper</a></body></html>""".formatted(DOG_RUNNING, DOG_BEACH, PRIVATE);
            case "/page3.html" -> "<html><body><img src='/img/" + DEEP + "'></body></html>";
            // lazysizes and a WordPress lazy plugin: placeholders in src, the pictures in data-*; a noscript fallback
            case "/lazy.html" -> """
                <html><head><title>Lazy gallery</title></head><body><h1>Lazy</h1>
                <img class="lazyload" src="/img/blank.gif" data-srcset="/img/lazy-200/%s 200w, /img/lazy-800/%s 800w" alt="A child on a swing">
                <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-lazy-src="/img/lazy/%s" alt="A couple on the beach">
                <noscript><img src="/img/noscript/%s" alt="A black dog on a rocky beach"></noscript>
                </body></html>""".formatted(SWING, SWING, COUPLE, DOG_BEACH);
            // JSON-LD names the picture that the page shows under an unrelated heading
            case "/jsonld.html" -> """
                <html><head><title>Stock photo</title><script type="application/ld+json">
                {"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "Stock photo"},
                 {"@type": "ImageObject", "contentUrl": "/img/ld/%s", "name": "Brown dog running",
                  "caption": "A brown dog runs across the grass", "creator": {"@type": "Person", "name": "Ana Ruiz"}}]}
                </script></head><body><h2>Related searches</h2><img src="/img/ld/%s" alt="dog"></body></html>""".formatted(
                DOG_RUNNING,
                DOG_RUNNING
            );
            // each picture twice, at 260 and 600 pixels: by a path token, and by a query parameter
            case "/renditions.html" -> """
                <html><head><title>Results</title></head><body><h2>Results</h2>
                <img src="/img/w260/%s" alt="Thumb A"><img src="/img/r/%s?w=260" alt="Thumb B">
                <a href="/a"><img src="/img/w600/%s" title="Large A"></a><a href="/b"><img src="/img/r/%s?w=600"></a>
                </body></html>""".formatted(DEEP, DOG_SMALL, DEEP, DOG_SMALL);
            case "/private/secret.html" -> "<html><body><img src='/img/" + DEEP + "'></body></html>";
            default -> null;
        };
    }

    private static String url(String path) {
        return base + path;
    }

    private static String id(String imagePath) {
        return HarvestedImage.documentId(url(imagePath));
    }

    private static int hitsOf(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private static String harvestBody() {
        return "{\"urls\": [\"" + url("/index.html") + "\"], \"depth\": 1, \"index\": \"" + INDEX
            + "\", \"pipeline\": \"clip-images\", \"host_delay\": \"100ms\"}";
    }

    @Test
    public void harvestsTheSiteRespectingRobotsAndReportsWhatFailed() throws Exception {
        int robotsBefore = hitsOf("/robots.txt");
        ClusterClient.Response r = cluster.post("/_plugins/clip/_harvest", harvestBody());
        assertEquals(r.raw(), 200, r.status());
        assertEquals(r.raw(), "done", r.path("phase"));
        // index and page2 fetched; the secret page refused by robots.txt; missing.html failed; page3 is two links away,
        // and the localhost link is another site
        assertEquals(r.raw(), 2, r.<Number>path("pages.fetched").intValue());
        assertEquals(r.raw(), 1, r.<Number>path("pages.skipped_by_robots").intValue());
        assertEquals(r.raw(), 1, r.<Number>path("pages.failed").intValue());
        // og:image, the srcset's largest, the figure; then page2's new dog, the broken file and the private one
        assertEquals(r.raw(), 6, r.<Number>path("images.found").intValue());
        assertEquals(r.raw(), 4, r.<Number>path("images.indexed").intValue());
        assertEquals(r.raw(), 1, r.<Number>path("images.failed").intValue());
        assertEquals(r.raw(), 1, r.<Number>path("images.skipped_by_robots").intValue());
        List<Map<String, Object>> failures = r.path("failures");
        assertEquals(r.raw(), 2, failures.size());
        // in the order they happened: page2's broken image, then the missing page queued after it
        assertEquals(
            r.raw(),
            "image: [clip_embedding] field [image] url [<url>]: not a supported image format (first bytes 74 68 69 73 20 69 73 20); "
                + "expected JPEG, PNG, GIF, BMP or WebP",
            failures.get(0).get("reason")
        );
        assertEquals(r.raw(), List.of(url("/img/broken.jpg")), failures.get(0).get("examples"));
        assertEquals(r.raw(), "page: HTTP 404 from [<url>]", failures.get(1).get("reason"));
        assertEquals(r.raw(), List.of(url("/missing.html")), failures.get(1).get("examples"));

        assertNull("robots.txt shuts /private/", hits.get("/private/secret.html"));
        assertNull("robots.txt shuts /private/ for images too", hits.get("/private/img/" + PRIVATE));
        assertNull("depth 1 stops before page3", hits.get("/page3.html"));
        assertNull("the smaller srcset candidate is not fetched", hits.get("/img/" + DOG_SMALL));
        assertEquals("robots.txt is read once per harvest", robotsBefore + 1, hitsOf("/robots.txt"));

        cluster.post("/" + INDEX + "/_refresh", null);
        assertEquals(4, cluster.get("/" + INDEX + "/_count").<Number>path("count").intValue());
        ClusterClient.Response doc = cluster.get("/" + INDEX + "/_doc/" + id("/img/" + COUPLE));
        assertEquals(doc.raw(), 200, doc.status());
        Map<String, Object> source = doc.path("_source");
        assertEquals(url("/img/" + COUPLE), source.get("image"));
        assertEquals("A couple kissing on the beach", source.get("caption"));
        assertEquals("People", source.get("heading"));
        assertEquals("Harvest home", source.get("page_title"));
        assertEquals(url("/index.html"), source.get("source_page"));
        assertFalse(source.containsKey("alt"));
        assertEquals(256, ((List<?>) source.get("image_vector")).size());
        Map<String, Object> dog = cluster.get("/" + INDEX + "/_doc/" + id("/img/" + DOG_RUNNING)).path("_source");
        assertEquals("A brown dog running", dog.get("alt"));
        assertEquals("Running", dog.get("title"));
        assertEquals("Dogs", dog.get("heading"));

        // the stored vector is the image's own: its nearest neighbour is itself
        List<?> vector = cluster.post("/_plugins/clip/_embed", "{\"images\": [\"" + url("/img/" + DOG_BEACH) + "\"]}")
            .path("images.0.embedding");
        ClusterClient.Response knn = cluster.post("/" + INDEX + "/_search", "{\"size\": 1, \"query\": {\"clip_knn\": {\"vector_field\": "
            + "\"image_vector\", \"query_vector\": " + vector + ", \"k\": 4}}}");
        assertEquals(knn.raw(), id("/img/" + DOG_BEACH), knn.path("hits.hits.0._id"));

        ClusterClient.Response hybrid = cluster.post("/" + INDEX + "/_search", """
            {"size": 4, "query": {"clip_hybrid": {"query_text": "a dog", "vector_field": "image_vector",
             "text_fields": ["alt", "title", "caption", "heading"], "k": 4}}}""");
        assertEquals(hybrid.raw(), 200, hybrid.status());
        String top = hybrid.path("hits.hits.0._id");
        assertTrue(hybrid.raw(), top.equals(id("/img/" + DOG_RUNNING)) || top.equals(id("/img/" + DOG_BEACH)));

        harvestAgainAsABackgroundTask();
    }

    /** Same documents again (ids come from the URLs), and the task's progress and summary show in _tasks. */
    private void harvestAgainAsABackgroundTask() throws Exception {
        ClusterClient.Response started = cluster.post("/_plugins/clip/_harvest?wait_for_completion=false", harvestBody());
        assertEquals(started.raw(), 200, started.status());
        String task = started.path("task");
        assertNotNull(started.raw(), task);
        ClusterClient.Response t = cluster.get("/_tasks/" + task);
        assertEquals(t.raw(), 200, t.status());
        assertEquals(t.raw(), "cluster:admin/clip/harvest", t.path("task.action"));
        assertNotNull(t.raw(), t.path("task.status.phase"));
        for (int i = 0; i < 600 && Boolean.TRUE.equals(t.path("completed")) == false; i++) {
            Thread.sleep(100);
            t = cluster.get("/_tasks/" + task);
        }
        assertEquals(t.raw(), Boolean.TRUE, t.path("completed"));
        assertEquals(t.raw(), 4, t.<Number>path("response.images.indexed").intValue());
        assertEquals(t.raw(), "done", t.path("response.phase"));
        cluster.post("/" + INDEX + "/_refresh", null);
        assertEquals(4, cluster.get("/" + INDEX + "/_count").<Number>path("count").intValue());
    }

    /**
     * The static extraction of what a browser would load: lazy attributes and a noscript fallback, JSON-LD with its
     * metadata, and two renditions of each picture folded into the larger. Every image comes from a page that has no img
     * src the old extractor would have taken, except the JSON-LD one, whose text JSON-LD gives.
     */
    @Test
    public void harvestsLazyJsonLdAndRenditionPages() throws Exception {
        ClusterClient.Response r = cluster.post(
            "/_plugins/clip/_harvest",
            "{\"urls\": [\"" + url("/lazy.html") + "\", \"" + url("/jsonld.html") + "\", \"" + url("/renditions.html")
                + "\"], \"index\": \"" + STATIC_INDEX + "\", \"pipeline\": \"clip-images\", \"host_delay\": \"100ms\"}"
        );
        assertEquals(r.raw(), 200, r.status());
        assertEquals(r.raw(), 3, r.<Number>path("pages.fetched").intValue());
        // lazy: 3, JSON-LD: 1, renditions: 2 pictures of 4 URLs
        assertEquals(r.raw(), 6, r.<Number>path("images.found").intValue());
        assertEquals(r.raw(), 6, r.<Number>path("images.indexed").intValue());
        assertEquals(r.raw(), 0, r.<Number>path("images.failed").intValue());
        assertEquals(r.raw(), 2, r.<Number>path("images.renditions").intValue());
        assertEquals(r.raw(), Map.of("img", 3, "lazy_attribute", 2, "noscript", 1, "json_ld", 1), r.path("images.found_by"));
        assertEquals(r.raw(), 0, hitsOf("/img/blank.gif"));
        assertEquals("the smaller lazy candidate is not fetched", 0, hitsOf("/img/lazy-200/" + SWING));
        assertEquals("the smaller rendition is not fetched", 0, hitsOf("/img/w260/" + DEEP));

        cluster.post("/" + STATIC_INDEX + "/_refresh", null);
        assertEquals(6, cluster.get("/" + STATIC_INDEX + "/_count").<Number>path("count").intValue());

        Map<String, Object> swing = cluster.get("/" + STATIC_INDEX + "/_doc/" + id("/img/lazy-800/" + SWING)).path("_source");
        assertEquals(swing.toString(), "A child on a swing", swing.get("alt"));
        assertEquals("Lazy", swing.get("heading"));
        assertEquals(List.of("lazy_attribute"), swing.get("found_by"));
        assertEquals(256, ((List<?>) swing.get("image_vector")).size());
        Map<String, Object> couple = cluster.get("/" + STATIC_INDEX + "/_doc/" + id("/img/lazy/" + COUPLE)).path("_source");
        assertEquals(couple.toString(), List.of("lazy_attribute"), couple.get("found_by"));
        Map<String, Object> beach = cluster.get("/" + STATIC_INDEX + "/_doc/" + id("/img/noscript/" + DOG_BEACH)).path("_source");
        assertEquals(beach.toString(), "A black dog on a rocky beach", beach.get("alt"));
        assertEquals(List.of("noscript"), beach.get("found_by"));

        Map<String, Object> dog = cluster.get("/" + STATIC_INDEX + "/_doc/" + id("/img/ld/" + DOG_RUNNING)).path("_source");
        assertEquals(dog.toString(), "Brown dog running", dog.get("title"));
        assertEquals("A brown dog runs across the grass", dog.get("caption"));
        assertEquals("Ana Ruiz", dog.get("creator"));
        assertEquals("dog", dog.get("alt"));
        assertEquals("Stock photo", dog.get("page_title"));
        assertFalse("JSON-LD's name wins over the unrelated heading", dog.containsKey("heading"));
        assertEquals(List.of("img", "json_ld"), dog.get("found_by"));

        Map<String, Object> a = cluster.get("/" + STATIC_INDEX + "/_doc/" + id("/img/w600/" + DEEP)).path("_source");
        assertEquals(a.toString(), "Large A", a.get("title"));
        assertEquals("Thumb A", a.get("alt"));
        assertEquals(List.of(url("/img/w260/" + DEEP)), a.get("renditions"));
        Map<String, Object> b = cluster.get("/" + STATIC_INDEX + "/_doc/" + id("/img/r/" + DOG_SMALL + "?w=600")).path("_source");
        assertEquals(b.toString(), List.of(url("/img/r/" + DOG_SMALL + "?w=260")), b.get("renditions"));
        ClusterClient.Response small = cluster.get("/" + STATIC_INDEX + "/_doc/" + id("/img/w260/" + DEEP));
        assertEquals(small.raw(), 404, small.status());

        // the JSON-LD text is searchable: its caption finds its picture
        ClusterClient.Response byCaption = cluster.post(
            "/" + STATIC_INDEX + "/_search",
            "{\"size\": 1, \"query\": {\"match\": {\"caption\": \"grass\"}}}"
        );
        assertEquals(byCaption.raw(), id("/img/ld/" + DOG_RUNNING), byCaption.path("hits.hits.0._id"));
    }

    @Test
    public void badRequestsNameTheField() throws IOException {
        ClusterClient.Response r = cluster.post("/_plugins/clip/_harvest", "{\"urls\": [\"file:///etc/passwd\"], \"index\": \"x\"}");
        assertEquals(r.raw(), 400, r.status());
        assertTrue(r.raw(), r.raw().contains("[urls][0] [file:///etc/passwd]: only http and https"));
        r = cluster.post("/_plugins/clip/_harvest", "{\"urls\": [\"" + url("/index.html") + "\"], \"index\": \"x\", \"depth\": -1}");
        assertEquals(r.raw(), 400, r.status());
        assertTrue(r.raw(), r.raw().contains("[depth] must be between 0 and 5"));
    }
}
