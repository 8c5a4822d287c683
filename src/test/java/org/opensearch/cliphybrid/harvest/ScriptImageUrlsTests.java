package org.opensearch.cliphybrid.harvest;

import org.jsoup.Jsoup;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

public class ScriptImageUrlsTests extends OpenSearchTestCase {

    private static List<String> find(String html) {
        return ScriptImageUrls.find(Jsoup.parse(html, "https://example.org/"), 100).urls();
    }

    public void testImageExtensionsWithQueriesAndFragments() {
        for (String url : new String[] {
            "https://cdn.x.org/a.jpg",
            "http://cdn.x.org/a.JPEG",
            "https://cdn.x.org/p/a.png?w=600&h=400",
            "https://cdn.x.org/a.webp#top",
            "https://cdn.x.org/a.gif",
            "https://cdn.x.org/a.bmp" }) {
            assertTrue(url, ScriptImageUrls.isImageUrl(url));
        }
        for (String url : new String[] {
            "https://cdn.x.org/a.avif",
            "https://cdn.x.org/a.svg",
            "https://cdn.x.org/a.jxl",
            "https://cdn.x.org/a.jpg.html",
            "https://cdn.x.org/app.js",
            "https://x.org/a.jpg/",
            "https://x.org/" }) {
            assertFalse(url, ScriptImageUrls.isImageUrl(url));
        }
    }

    public void testImagePathsWithoutAnExtension() {
        assertTrue(ScriptImageUrls.isImageUrl("https://images.unsplash.com/photo-1500?ixlib=rb-4&w=1080"));
        assertTrue(ScriptImageUrls.isImageUrl("https://img.x.org/abc123"));
        assertTrue(ScriptImageUrls.isImageUrl("https://cdn.x.org/images/abc123?w=600"));
        assertTrue(ScriptImageUrls.isImageUrl("https://cdn.x.org/media/abc123?fm=jpg"));
        // pages of a photo, not the photo
        assertFalse(ScriptImageUrls.isImageUrl("https://unsplash.com/photos/abc123"));
        assertFalse(ScriptImageUrls.isImageUrl("https://stock.adobe.com/images/red-fox/123456"));
        assertFalse(ScriptImageUrls.isImageUrl("https://x.org/photos/abc123?utm_source=x"));
        assertFalse(ScriptImageUrls.isImageUrl("https://api.x.org/v1/images"));
    }

    public void testJsonEscapesAreUndone() {
        assertEquals("https://x.org/a.jpg?a=1&b=2", ScriptImageUrls.unescape("https:\\/\\/x.org\\/a.jpg?a=1\\u0026b=2"));
        assertEquals("https://x.org/a.jpg", ScriptImageUrls.unescape("https:\\u002F\\u002Fx.org\\u002fa.jpg"));
        // a control character or a quote's escape is kept, and so ends the URL
        assertEquals("\\u000a", ScriptImageUrls.unescape("\\u000a"));
    }

    public void testScanOfScriptsNotJsonLd() {
        List<String> urls = find(
            "<script type='application/ld+json'>{\"image\": \"https://x.org/ld.jpg\"}</script>"
                + "<script>var a = 'https://x.org/a.jpg', b = \"https://x.org/b.png\"; load(`https://x.org/c.webp`);"
                + " css('url(https://x.org/d.jpg)'); // see https://x.org/e.jpg.</script>"
                + "<script src='https://x.org/app.js'></script>"
                + "<script type='application/json'>{\"u\":\"https:\\/\\/x.org\\/f.jpg\",\"again\":\"https://x.org/a.jpg\"}</script>"
        );
        assertEquals(
            List.of("https://x.org/a.jpg", "https://x.org/b.png", "https://x.org/c.webp", "https://x.org/d.jpg", "https://x.org/e.jpg", "https://x.org/f.jpg"),
            urls
        );
    }

    public void testUrlsPerPageAreCapped() {
        StringBuilder s = new StringBuilder("<script>");
        for (int i = 0; i < 5; i++) {
            s.append("'https://x.org/").append(i).append(".jpg' ");
        }
        ScriptImageUrls.Found found = ScriptImageUrls.find(Jsoup.parse(s.append("'https://x.org/0.jpg'</script>").toString()), 3);
        assertEquals(List.of("https://x.org/0.jpg", "https://x.org/1.jpg", "https://x.org/2.jpg"), found.urls());
        assertEquals(2, found.dropped());
    }

    public void testUrlsLongerThanTheRequestLimitAreSkipped() {
        String prefix = "https://x.org/";
        String fits = prefix + "a".repeat(HarvestRequest.MAX_URL_LENGTH - prefix.length() - 4) + ".jpg";
        String over = prefix + "b".repeat(HarvestRequest.MAX_URL_LENGTH - prefix.length() - 3) + ".jpg";
        assertEquals(List.of(fits), find("<script>['" + fits + "', '" + over + "']</script>"));
    }
}
