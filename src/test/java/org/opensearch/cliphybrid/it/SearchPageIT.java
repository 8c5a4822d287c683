package org.opensearch.cliphybrid.it;

import org.junit.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The search page in a real headless Chromium, against the demo index: a typed query, thumbnails, scores, a facet, "more like
 * this", the next page, a reload, a shared link and filter names such as __proto__ (src/test/ui/search-page.cjs does the
 * clicking). Screenshots stay in target/search-page/.
 */
public class SearchPageIT {
    private static final String INSTALL = "run src/test/ui/install-browser (as root: it apt-get installs chromium and npm installs "
        + "the pinned playwright-core into .node/), as .ci/run does";
    private final Path repo = Path.of(System.getProperty("user.dir"));

    @Test
    public void searchPageWorksInARealBrowser() throws Exception {
        Path chromium = Path.of(System.getProperty("ui.chromium", "/usr/bin/chromium"));
        if (Files.isExecutable(chromium) == false) {
            fail("this test drives Chromium, which is missing at " + chromium + ": " + INSTALL);
        }
        Path modules = repo.resolve(".node/node_modules");
        if (Files.isDirectory(modules.resolve("playwright-core")) == false) {
            fail("this test needs playwright-core, which is missing from " + modules + ": " + INSTALL);
        }
        Path out = Files.createDirectories(repo.resolve("target/search-page"));
        Path tmp = Files.createDirectories(repo.resolve("target/tmp"));
        Path log = out.resolve("node.log");
        ProcessBuilder node = new ProcessBuilder(
            "node",
            repo.resolve("src/test/ui/search-page.cjs").toString(),
            System.getProperty("tests.cluster", "http://127.0.0.1:9200"),
            out.toString()
        ).redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().put("NODE_PATH", modules.toString());
        node.environment().put("CHROMIUM", chromium.toString());
        // Chromium and playwright put their scratch files under TMPDIR and their caches under HOME; keep both in target/
        node.environment().put("TMPDIR", tmp.toString());
        Path home = Files.createDirectories(out.resolve("home"));
        node.environment().put("HOME", home.toString());
        node.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        node.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        Process process = node.start();
        if (process.waitFor(300, TimeUnit.SECONDS) == false) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("the browser test did not finish in 300 s:\n" + read(log));
        }
        String output = read(log);
        assertEquals("the browser test failed:\n" + output, 0, process.exitValue());
        assertTrue(output, output.contains("SEARCH-PAGE-RESULT"));
        assertTrue(Files.size(out.resolve("search-page.png")) > 20_000);
        assertTrue(Files.size(out.resolve("more-like-this-page-2.png")) > 20_000);
    }

    @Test
    public void pageAndImagesAreServedWithTheirTypesAndNothingElse() throws Exception {
        HttpResponse<String> page = get("/_plugins/clip/ui");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=UTF-8", page.headers().firstValue("content-type").orElse(null));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertTrue(page.body(), page.body().contains("<script src=\"/_plugins/clip/ui/app.js\""));
        // the state the page's script writes into its URL: a reload or a shared link must get the page, not a 400
        HttpResponse<String> link = get("/_plugins/clip/ui?index=clip-images-flickr8k&q=a%20dog&from=24&fusion=rrf&like=x.jpg&f.labels=dog"
            + "&f.__proto__=x&f.constructor=y");
        assertEquals(link.body(), 200, link.statusCode());
        assertEquals("text/html; charset=UTF-8", link.headers().firstValue("content-type").orElse(null));
        assertTrue(link.body(), link.body().contains("<script src=\"/_plugins/clip/ui/app.js\""));
        assertEquals("text/javascript; charset=UTF-8", get("/_plugins/clip/ui/app.js").headers().firstValue("content-type").orElse(null));
        assertEquals(404, get("/_plugins/clip/ui/pom.xml").statusCode());
        HttpResponse<String> image = get("/_plugins/clip/ui/image/1082379191_ec1e53f996.jpg");
        assertEquals(200, image.statusCode());
        assertEquals("image/jpeg", image.headers().firstValue("content-type").orElse(null));
        assertEquals("nosniff", image.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals(404, get("/_plugins/clip/ui/image/no-such.jpg").statusCode());
        HttpResponse<String> escape = get("/_plugins/clip/ui/image/..%2Fcaptions.tsv");
        assertEquals(404, escape.statusCode());
        assertEquals("image path [../captions.tsv] leads outside plugins.clip.images.path", escape.body());
        assertEquals(404, get("/_plugins/clip/ui/image/%2Fetc%2Fpasswd").statusCode());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(System.getProperty("tests.cluster", "http://127.0.0.1:9200") + path))
            .timeout(Duration.ofSeconds(30))
            .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }
}
