package org.opensearch.cliphybrid.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.opensearch.cliphybrid.harvest.HarvestedImage;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The rendering harvester, run as users run it ({@code java -jar target/clip-harvest-render.jar}), against pages this test
 * serves on 127.0.0.1: one whose img elements exist only after a script fetches their list, which the REST harvester finds
 * none of, and one that adds pictures when it is scrolled to the bottom. Both sets reach the index with their vectors, and
 * the browser never reaches a host that is not harvested. A missing page fails as the REST harvest reports it. (The renderer
 * is tested here rather than in a unit test: the unit tests' OpenSearch agent forbids starting a process such as chromium.)
 */
public class RenderHarvestIT {
    private static final String INDEX = "clip-images-it-render";
    private static final String DOG_RUNNING = "2654514044_a70a6e2c21.jpg";
    private static final String COUPLE = "1499581619_a5f65a882c.jpg";
    private static final String DOG_BEACH = "3642220260_3aa8a52670.jpg";
    private static final String SWING = "3453259666_9ecaa8bb4b.jpg";
    private static final String DEEP = "2847615962_c330bded6e.jpg";

    private static final ClusterClient cluster = new ClusterClient();
    private static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private static HttpServer server;
    private static String base;

    @BeforeClass
    public static void serveSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", RenderHarvestIT::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        ClusterClient.Response r = cluster.put("/_cluster/settings", "{\"persistent\": {\"plugins.clip.fetch.allow_private_addresses\": true}}");
        assertEquals(r.raw(), 200, r.status());
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
    }

    @AfterClass
    public static void stopSite() throws IOException {
        cluster.put("/_cluster/settings", "{\"persistent\": {\"plugins.clip.fetch.allow_private_addresses\": null}}");
        cluster.delete("/" + INDEX);
        if (server != null) {
            server.stop(0);
        }
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String html = page(path);
        if (path.equals("/robots.txt")) {
            send(exchange, 200, "text/plain", "User-agent: *\nDisallow: /private/\n");
        } else if (html != null) {
            send(exchange, 200, "text/html; charset=utf-8", html);
        } else if (path.equals("/list.json")) {
            // names only: no URL of a picture appears in the page or its scripts before they run
            send(exchange, 200, "application/json", "[\"" + stem(DOG_RUNNING) + "\", \"" + stem(COUPLE) + "\", \"" + stem(DOG_BEACH) + "\"]");
        } else if (path.equals("/more.json")) {
            send(exchange, 200, "application/json", "[\"" + stem(SWING) + "\", \"" + stem(DEEP) + "\"]");
        } else if (path.startsWith("/img/")) {
            var file = SharedFixtures.flickrImages().resolve(path.substring(path.lastIndexOf('/') + 1));
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } else {
            send(exchange, 404, "text/plain", "not here");
        }
    }

    private static String stem(String file) {
        return file.substring(0, file.length() - ".jpg".length());
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String page(String path) {
        int port = server.getAddress().getPort();
        return switch (path) {
            // the pictures' list comes from JSON after load, and each URL is put together in script; a beacon to another host
            // (localhost is not 127.0.0.1 to the harvester) must be refused by the browser
            case "/script.html" -> """
                <html><head><title>Script gallery</title></head><body><h1>Photos</h1><div id="grid"></div>
                <script>
                fetch('http://localhost:%d/beacon').catch(function () {});
                setTimeout(function () {
                  fetch('/list.json').then(function (r) { return r.json(); }).then(function (names) {
                    names.forEach(function (n, k) {
                      var img = document.createElement('img');
                      img.src = '/i' + 'mg/' + n + '.j' + 'pg';
                      img.alt = 'Photo number ' + (k + 1);
                      document.getElementById('grid').appendChild(img);
                    });
                  });
                }, 200);
                </script></body></html>""".formatted(port);
            // an IntersectionObserver on a sentinel below a tall spacer: only scrolling brings the next pictures
            case "/scroll.html" -> """
                <html><head><title>Endless gallery</title></head><body><h1>More photos</h1>
                <div style="height: 4000px">spacer</div><div id="more"></div><div id="sentinel">loading</div>
                <script>
                var done = false;
                new IntersectionObserver(function (entries) {
                  if (done || !entries[0].isIntersecting) { return; }
                  done = true;
                  fetch('/more.json').then(function (r) { return r.json(); }).then(function (names) {
                    names.forEach(function (n) {
                      var img = document.createElement('img');
                      img.src = '/i' + 'mg/' + n + '.j' + 'pg';
                      img.alt = 'Scrolled photo';
                      document.getElementById('more').appendChild(img);
                    });
                  });
                }).observe(document.getElementById('sentinel'));
                </script></body></html>""";
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

    @Test
    public void rendersScriptAndScrollPagesThatTheRestHarvesterCannotSee() throws Exception {
        ClusterClient.Response rest = cluster.post(
            "/_plugins/clip/_harvest",
            "{\"urls\": [\"" + url("/script.html") + "\", \"" + url("/scroll.html") + "\"], \"index\": \"" + INDEX
                + "\", \"pipeline\": \"clip-images\", \"host_delay\": \"100ms\"}"
        );
        assertEquals(rest.raw(), 200, rest.status());
        assertEquals(rest.raw(), 2, rest.<Number>path("pages.fetched").intValue());
        assertEquals("the static HTML holds no picture", 0, rest.<Number>path("images.found").intValue());

        Path jar = Path.of("target", "clip-harvest-render.jar");
        assertTrue("mvn package builds " + jar.toAbsolutePath(), Files.exists(jar));
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
            "--url", url("/script.html"), "--url", url("/scroll.html"), "--url", url("/gone.html"),
            "--cluster", System.getProperty("tests.cluster", "http://127.0.0.1:9200"),
            "--index", INDEX, "--pipeline", "clip-images", "--host-delay-ms", "100", "--page-timeout-s", "30"
        ));
        Path stdout = Files.createTempFile("render-out", ".json"), stderr = Files.createTempFile("render-err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (p.waitFor(3, TimeUnit.MINUTES) == false) {
            p.destroyForcibly();
        }
        String out = Files.readString(stdout), err = Files.readString(stderr);
        assertEquals(out + err, 0, p.exitValue());
        assertTrue(err, err.contains("pages 3/3"));

        Map<String, Object> summary;
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, out)) {
            summary = parser.map();
        }
        ClusterClient.Response r = new ClusterClient.Response(200, summary, out);
        assertEquals(out, "done", r.path("phase"));
        assertEquals(out, 2, r.<Number>path("pages.fetched").intValue());
        assertEquals(out, 1, r.<Number>path("pages.failed").intValue());
        List<Map<String, Object>> failures = r.path("failures");
        assertEquals(out, 1, failures.size());
        assertEquals(out, "page: HTTP 404 from [<url>]", failures.get(0).get("reason"));
        assertEquals(out, List.of(url("/gone.html")), failures.get(0).get("examples"));
        assertEquals(out, 5, r.<Number>path("images.found").intValue());
        assertEquals(out + err, 5, r.<Number>path("images.indexed").intValue());
        assertEquals(out, 0, r.<Number>path("images.failed").intValue());
        assertEquals(out, Map.of("img", 5), r.path("images.found_by"));
        assertEquals("the scroll page asked for more once it was scrolled", 1, hitsOf("/more.json"));
        assertEquals("the browser reaches only the harvested host", 0, hitsOf("/beacon"));

        cluster.post("/" + INDEX + "/_refresh", null);
        assertEquals(5, cluster.get("/" + INDEX + "/_count").<Number>path("count").intValue());
        for (String file : List.of(DOG_RUNNING, COUPLE, DOG_BEACH, SWING, DEEP)) {
            ClusterClient.Response doc = cluster.get("/" + INDEX + "/_doc/" + id("/img/" + file));
            assertEquals(doc.raw(), 200, doc.status());
            Map<String, Object> source = doc.path("_source");
            assertEquals(url("/img/" + file), source.get("image"));
            assertEquals(256, ((List<?>) source.get("image_vector")).size());
            assertEquals(List.of("img"), source.get("found_by"));
        }
        Map<String, Object> couple = cluster.get("/" + INDEX + "/_doc/" + id("/img/" + COUPLE)).path("_source");
        assertEquals(couple.toString(), "Photo number 2", couple.get("alt"));
        assertEquals("Photos", couple.get("heading"));
        assertEquals("Script gallery", couple.get("page_title"));
        assertEquals(url("/script.html"), couple.get("source_page"));
        Map<String, Object> swing = cluster.get("/" + INDEX + "/_doc/" + id("/img/" + SWING)).path("_source");
        assertEquals(swing.toString(), "Scrolled photo", swing.get("alt"));
        assertEquals(url("/scroll.html"), swing.get("source_page"));
    }
}
