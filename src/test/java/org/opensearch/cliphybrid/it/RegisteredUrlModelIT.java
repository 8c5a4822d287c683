package org.opensearch.cliphybrid.it;

import com.sun.net.httpserver.HttpServer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.testing.FolderZip;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * {@code POST _plugins/clip/models/<name>/_register} with {@code {"url": ...}}: the node fetches the SigLIP fixture's zip from a
 * server this test runs on 127.0.0.1 (reachable only while plugins.clip.fetch.allow_private_addresses is on, which the test
 * sets and resets), stores it in several chunks (plugins.clip.model.registered.max_chunk_bytes set small) and registers it
 * as an upload would be: it embeds as the golden says. Each refusal is a 400 naming its field and reason, and leaves no
 * chunks behind: the same name registers afterwards.
 */
public class RegisteredUrlModelIT {
    private static final Path FOLDER = Path.of("src/test/resources/families/siglip-tiny");
    private static final String NAME = "siglip-url-it";
    private static final String SETTINGS_RESET = "{\"transient\": {\"plugins.clip.fetch.allow_private_addresses\": null,"
        + " \"plugins.clip.model.registered.*\": null}}";

    private final ClusterClient cluster = new ClusterClient();
    private HttpServer server;
    private String base;
    private byte[] zip;

    @Before
    public void serve() throws Exception {
        zip = FolderZip.of(FOLDER);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/siglip.zip", exchange -> {
            exchange.sendResponseHeaders(200, zip.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zip);
            }
        });
        server.createContext("/error.html", exchange -> {
            byte[] page = "<html>sign in first</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.createContext("/stalls.zip", exchange -> {
            exchange.sendResponseHeaders(200, zip.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zip, 0, 1000);
                out.flush();
                Thread.sleep(5000);
            } catch (InterruptedException | IOException e) {
                // the node gave up, as it should
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stalled answer must not hold up the others
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        cluster.delete("/_plugins/clip/models/" + NAME); // a run that stopped halfway left it behind; 404 otherwise
        settings("{\"transient\": {\"plugins.clip.fetch.allow_private_addresses\": true,"
            + " \"plugins.clip.model.registered.max_chunk_bytes\": \"128kb\"}}");
    }

    @After
    public void stop() throws Exception {
        try {
            cluster.delete("/_plugins/clip/models/" + NAME);
            settings(SETTINGS_RESET);
        } finally {
            server.stop(0);
        }
    }

    private void settings(String json) throws IOException {
        ClusterClient.Response r = cluster.put("/_cluster/settings", json);
        assertEquals(r.raw(), 200, r.status());
    }

    private ClusterClient.Response register(String body) throws IOException {
        return cluster.post("/_plugins/clip/models/" + NAME + "/_register", body);
    }

    private void refused(ClusterClient.Response r, String... parts) throws IOException {
        assertEquals(r.raw(), 400, r.status());
        for (String part : parts) {
            assertTrue(r.raw(), r.raw().contains(part));
        }
        // nothing is left: neither a registration nor chunks
        ClusterClient.Response gone = cluster.delete("/_plugins/clip/models/" + NAME);
        assertEquals("after " + r.raw() + ": " + gone.raw(), 404, gone.status());
    }

    @Test
    @SuppressWarnings("unchecked")
    public void registerFromAUrlAndTheRefusals() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
        String url = base + "/siglip.zip";

        refused(register("{\"url\": \"ftp://127.0.0.1/siglip.zip\"}"), "[url]", "must be an http or https URL");
        refused(register("{\"url\": \"" + url + "\", \"sha256\": \"" + "0".repeat(64) + "\"}"), "[sha256]", sha);
        refused(register("{\"url\": \"" + base + "/error.html\"}"), "[url]", "did not answer with a zip", "text/html");
        refused(register("{\"url\": \"" + base + "/missing.zip\"}"), "[url]", "HTTP 404");

        settings("{\"transient\": {\"plugins.clip.model.registered.url.max_bytes\": \"100kb\"}}");
        refused(register("{\"url\": \"" + url + "\"}"), "[url]", "over the limit of 102400", "plugins.clip.model.registered.url.max_bytes");
        settings("{\"transient\": {\"plugins.clip.model.registered.url.max_bytes\": null, \"plugins.clip.model.registered.max_chunks\": 2}}");
        refused(register("{\"url\": \"" + url + "\"}"), "[url]", "plugins.clip.model.registered.max_chunks");
        settings("{\"transient\": {\"plugins.clip.model.registered.max_chunks\": null, \"plugins.clip.model.registered.url.timeout\": \"1s\"}}");
        refused(register("{\"url\": \"" + base + "/stalls.zip\"}"), "[url]", "deadline of 1000ms", "plugins.clip.model.registered.url.timeout");
        settings("{\"transient\": {\"plugins.clip.model.registered.url.timeout\": null, \"plugins.clip.fetch.allow_private_addresses\": false}}");
        refused(register("{\"url\": \"" + url + "\"}"), "[url]", "loopback address", "plugins.clip.fetch.allow_private_addresses");
        settings("{\"transient\": {\"plugins.clip.fetch.allow_private_addresses\": true}}");

        ClusterClient.Response registered = register("{\"url\": \"" + url + "\", \"sha256\": \"" + sha + "\"}");
        assertEquals(registered.raw(), 200, registered.status());
        assertEquals(registered.raw(), (zip.length + 128 * 1024 - 1) / (128 * 1024), registered.<Number>path("chunks").intValue());
        assertTrue(registered.raw(), registered.<Number>path("chunks").intValue() > 1);
        assertEquals(registered.raw(), zip.length, registered.<Number>path("zip_bytes").intValue());
        assertEquals(registered.raw(), sha, registered.path("zip_sha256"));
        List<Map<String, Object>> files = registered.path("files");
        assertTrue(registered.raw(), files.stream().anyMatch(f -> "onnx/text_model.onnx".equals(f.get("path"))));

        ClusterClient.Response again = register("{\"url\": \"" + url + "\"}");
        assertEquals(again.raw(), 400, again.status());
        assertTrue(again.raw(), again.raw().contains("registered already"));

        Map<String, Object> golden = ModelFolder.readJson(FOLDER.resolve("golden.json"));
        Map<String, Object> goldenText = ((List<Map<String, Object>>) golden.get("texts")).get(0);
        ClusterClient.Response embedded = cluster.post(
            "/_plugins/clip/_embed",
            "{\"model\": \"" + NAME + "\", \"texts\": [\"" + ((String) goldenText.get("text")).replace("\"", "\\\"") + "\"]}"
        );
        assertEquals(embedded.raw(), 200, embedded.status());
        double c = ClusterClient.cosine((List<?>) goldenText.get("embedding"), embedded.path("texts.0.embedding"));
        assertTrue("siglip registered from a URL: text cosine " + c, c >= 0.9999);
    }
}
