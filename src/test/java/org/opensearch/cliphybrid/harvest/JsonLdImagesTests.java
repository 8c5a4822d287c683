package org.opensearch.cliphybrid.harvest;

import org.jsoup.Jsoup;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

/** What JSON-LD shapes give images, and what a hostile or broken block costs: nothing but being skipped. */
public class JsonLdImagesTests extends OpenSearchTestCase {
    private static final String PAGE = "https://example.org/a/page.html";

    private static JsonLdImages.Found find(String... blocks) {
        StringBuilder html = new StringBuilder("<html><head>");
        for (String block : blocks) {
            html.append("<script type='application/ld+json'>").append(block).append("</script>");
        }
        return JsonLdImages.find(Jsoup.parse(html.append("</head></html>").toString(), PAGE), "T", PAGE, 10);
    }

    private static List<String> urls(String... blocks) {
        return find(blocks).images().stream().map(HarvestedImage::url).toList();
    }

    public void testImageShapes() {
        assertEquals(List.of("https://example.org/a/s.jpg"), urls("{\"@type\": \"Product\", \"image\": \"s.jpg\"}"));
        assertEquals(
            List.of("https://example.org/1.jpg", "https://example.org/2.jpg"),
            urls("{\"@type\": \"Product\", \"image\": [\"/1.jpg\", {\"url\": \"/2.jpg\"}]}")
        );
        // contentUrl before url, whose value is often the page of the image
        assertEquals(
            List.of("https://cdn.example.org/f.jpg"),
            urls("{\"@type\": \"ImageObject\", \"url\": \"https://example.org/photo/f\", \"contentUrl\": \"https://cdn.example.org/f.jpg\"}")
        );
        // a top-level array, a type written as an IRI or in a list
        assertEquals(
            List.of("https://example.org/x.jpg", "https://example.org/y.jpg"),
            urls("[{\"@type\": \"https://schema.org/ImageObject\", \"contentUrl\": \"/x.jpg\"}, "
                + "{\"@type\": [\"CreativeWork\", \"ImageObject\"], \"contentUrl\": \"/y.jpg\"}]")
        );
        assertEquals(
            List.of("https://example.org/in-list.jpg"),
            urls("{\"@type\": \"ItemList\", \"itemListElement\": [{\"@type\": \"ListItem\", \"item\": "
                + "{\"@type\": \"Product\", \"name\": \"P\", \"image\": \"/in-list.jpg\"}}]}")
        );
    }

    public void testWhatIsNotAnImage() {
        assertEquals(
            List.of(),
            urls(
                "{\"@type\": \"Article\", \"image\": {\"@id\": \"#primary\"}, \"associatedMedia\": {\"@type\": \"VideoObject\", "
                    + "\"contentUrl\": \"/v.mp4\"}, \"author\": {\"@type\": \"Person\", \"image\": \"/me.jpg\"}, "
                    + "\"publisher\": {\"@type\": \"Organization\", \"logo\": {\"@type\": \"ImageObject\", \"url\": \"/logo.png\"}}}",
                "{\"@type\": \"ImageObject\", \"contentUrl\": \"data:image/png;base64,AA\"}",
                "{\"@type\": \"ImageObject\", \"width\": 600}"
            )
        );
        // an image object's thumbnail is a smaller rendition of it
        assertEquals(
            List.of("https://example.org/a.jpg"),
            urls("{\"@type\": \"ImageObject\", \"contentUrl\": \"/a.jpg\", \"thumbnail\": {\"@type\": \"ImageObject\", \"contentUrl\": \"/a-t.jpg\"}}")
        );
    }

    public void testMetadataAndTheOwnersFallback() {
        HarvestedImage image = find(
            "{\"@type\": \"Product\", \"name\": \"Chair\", \"description\": \"Oak\", \"creator\": \"Studio\", \"image\": "
                + "{\"@type\": \"ImageObject\", \"contentUrl\": \"/c.jpg\", \"caption\": {\"@value\": \"Front\", \"@language\": \"en\"}}}"
        ).images().get(0);
        assertEquals("Chair", image.title());
        assertEquals("Front", image.caption());
        assertEquals("Oak", image.description());
        assertEquals("Studio", image.creator());
        assertEquals("T", image.pageTitle());
        assertEquals(PAGE, image.sourcePage());
        assertNull(image.heading());
        assertNull(image.alt());
    }

    public void testBrokenBlocksAreSkippedAndTheOthersRead() {
        assertEquals(
            List.of("https://example.org/ok.jpg"),
            urls("{\"image\": \"/broken.jpg\",", "not json at all", "", "{\"image\": \"/ok.jpg\"}", "42")
        );
    }

    public void testBlocksOverTheSizeLimitAreNotParsed() {
        String padding = " ".repeat(JsonLdImages.MAX_CHARS);
        assertEquals(List.of(), urls("{\"image\": \"/big.jpg\"}" + padding));
        assertEquals(List.of("https://example.org/fits.jpg"), urls("{\"image\": \"/fits.jpg\"}" + padding.substring(30)));
    }

    public void testDeepNestingIsCutAtTheDepthLimit() {
        // within the limit: found; a thousand levels down: not read, and nothing overflows
        String shallow = "{\"a\": ".repeat(5) + "{\"image\": \"/near.jpg\"}" + "}".repeat(5);
        String deep = "[".repeat(1000) + "{\"image\": \"/deep.jpg\"}" + "]".repeat(1000);
        String justOver = "{\"a\": ".repeat(JsonLdImages.MAX_DEPTH) + "{\"image\": \"/over.jpg\"}" + "}".repeat(JsonLdImages.MAX_DEPTH);
        assertEquals(List.of("https://example.org/near.jpg"), urls(shallow, deep, justOver));
    }

    public void testUrlsPerPageAreCapped() {
        StringBuilder list = new StringBuilder("{\"image\": [");
        for (int i = 0; i < 13; i++) {
            list.append(i == 0 ? "" : ",").append("\"/").append(i).append(".jpg\"");
        }
        JsonLdImages.Found found = find(list.append("]}").toString(), "{\"image\": \"/0.jpg\"}");
        assertEquals(10, found.images().size());
        assertEquals(3, found.dropped());
    }
}
