package org.opensearch.cliphybrid.harvest;

import org.opensearch.test.OpenSearchTestCase;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** One read per site, and the three answers both harvesters act on: allowed, disallowed, or the site's robots.txt unreadable. */
public class RobotsRulesTests extends OpenSearchTestCase {

    private static HarvestedImage image(String url) {
        return new HarvestedImage(url, null, null, null, null, null, "http://a.test/");
    }

    public void testEachSiteIsReadOnceAndItsRulesDecide() throws Exception {
        List<URI> read = new ArrayList<>();
        RobotsRules<RuntimeException> rules = new RobotsRules<>(url -> {
            read.add(url);
            return switch (url.getAuthority()) {
                case "a.test" -> RobotsRules.Site.of(RobotsTxt.parse("User-agent: *\nDisallow: /private\n", Harvester.AGENT));
                case "b.test" -> RobotsRules.Site.unreadable("HTTP 503");
                default -> RobotsRules.Site.of(RobotsTxt.ALLOW_ALL);
            };
        });
        assertTrue(rules.knownToAllow(URI.create("http://a.test/private/x.jpg")));
        assertNull(rules.refusal(URI.create("http://a.test/public/x.jpg")));
        assertEquals("", rules.refusal(URI.create("http://a.test/private/x.jpg?size=2")));
        assertFalse(rules.knownToAllow(URI.create("http://a.test/private/x.jpg")));
        // another port is another site
        assertNull(rules.refusal(URI.create("http://a.test:8080/private/x.jpg")));
        assertEquals("robots.txt unreadable, so nothing on the host is fetched: HTTP 503", rules.refusal(URI.create("http://b.test/x.jpg")));
        assertEquals(
            List.of(URI.create("http://a.test/robots.txt"), URI.create("http://a.test:8080/robots.txt"), URI.create("http://b.test/robots.txt")),
            read
        );

        HarvestProgress progress = new HarvestProgress();
        List<HarvestedImage> allowed = rules.allowedImages(
            List.of(image("http://a.test/ok.jpg"), image("http://a.test/private/no.jpg"), image("http://b.test/y.jpg"), image("http://a.test/bad path")),
            progress
        );
        assertEquals(List.of("http://a.test/ok.jpg"), allowed.stream().map(HarvestedImage::url).toList());
        HarvestStatus status = progress.snapshot();
        assertEquals(1, status.imagesSkippedByRobots());
        assertEquals(2, status.imagesFailed());
        assertEquals(3, read.size());
    }
}
