package org.opensearch.cliphybrid.it;

import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The search page in a real headless Chromium, against the demo index: a typed query, thumbnails, scores, a facet, "more like
 * this" and the next page (src/test/ui/search-page.cjs does the clicking). Screenshots stay in target/search-page/.
 */
public class SearchPageIT {
    private static final String INSTALL = "run src/test/ui/install-browser (as root: it apt-get installs chromium and npm installs "
        + "the pinned playwright-core into .node/), as .ci/run does";
    private final ClusterClient cluster = new ClusterClient();
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
    public void pageAndImagesAreServedWithTheirTypesAndNothingElse() throws IOException {
        ClusterClient.Response page = cluster.get("/_plugins/clip/ui");
        assertEquals(200, page.status());
        assertTrue(page.raw(), page.raw().contains("<script src=\"/_plugins/clip/ui/app.js\""));
        assertEquals(200, cluster.get("/_plugins/clip/ui/app.js").status());
        assertEquals(404, cluster.get("/_plugins/clip/ui/pom.xml").status());
        assertEquals(200, cluster.get("/_plugins/clip/ui/image/1082379191_ec1e53f996.jpg").status());
        assertEquals(404, cluster.get("/_plugins/clip/ui/image/no-such.jpg").status());
        assertEquals(404, cluster.get("/_plugins/clip/ui/image/..%2Fcaptions.tsv").status());
        assertEquals(404, cluster.get("/_plugins/clip/ui/image/%2Fetc%2Fpasswd").status());
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }
}
