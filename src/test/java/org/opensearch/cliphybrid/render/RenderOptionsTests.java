package org.opensearch.cliphybrid.render;

import org.opensearch.test.OpenSearchTestCase;

import java.net.URI;
import java.util.List;

public class RenderOptionsTests extends OpenSearchTestCase {
    public void testDefaultsAndRepeatedUrls() {
        RenderOptions o = RenderOptions.parse(new String[] { "--url", "http://a.test/1", "--url", "https://a.test/2", "--index", "i" });
        assertEquals(List.of(URI.create("http://a.test/1"), URI.create("https://a.test/2")), o.urls());
        assertEquals(0, o.depth());
        assertEquals(100, o.maxPages());
        assertEquals(1000, o.hostDelayMillis());
        assertEquals(URI.create("http://127.0.0.1:9200"), o.cluster());
        assertNull(o.pipeline());
        assertEquals(500, o.quietMillis());
    }

    public void testBadValuesNameTheOptionAndTheBounds() {
        assertMessage("[--depth] must be between 0 and 5, got [6]", "--url", "http://a.test/", "--index", "i", "--depth", "6");
        assertMessage("[--max-pages] [x] is not a whole number", "--url", "http://a.test/", "--index", "i", "--max-pages", "x");
        assertMessage("[--url] [file:///etc/passwd]: only http and https URLs with a host", "--url", "file:///etc/passwd");
        assertMessage("[--index] is required", "--url", "http://a.test/");
        assertMessage("[--url] is required", "--index", "i");
        assertMessage("unknown option [--bogus]", "--bogus", "1");
        assertMessage("[--index] needs a value", "--url", "http://a.test/", "--index");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> RenderOptions.parse(args));
        assertEquals(expected, e.getMessage());
    }

    public void testPageBeingRenderedCountsInTheTotal() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), false);
        org.opensearch.cliphybrid.harvest.HarvestProgress progress = new org.opensearch.cliphybrid.harvest.HarvestProgress();
        progress.pageFetched();
        bar.show(progress.snapshot(), 10, "http://a.test/2");
        bar.show(progress.snapshot(), 10, null);
        assertEquals(
            List.of(
                "[###############...............] pages 1/2  images 0 found, 0 indexed, 0 failed http://a.test/2",
                "[##############################] pages 1/1  images 0 found, 0 indexed, 0 failed"
            ),
            bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList()
        );
    }

    public void testProgressLine() {
        assertEquals(
            "[###############...............] pages 2/4  images 9 found, 7 indexed, 1 failed http://a.test/x",
            ProgressBar.line(2, 4, 9, 7, 1, "http://a.test/x")
        );
    }
}
