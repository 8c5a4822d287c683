package org.opensearch.cliphybrid.harvest;

import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

public class PageExtractorTests extends OpenSearchTestCase {
    private static final URI PAGE = URI.create("https://example.org/gallery/index.html");

    private static List<HarvestedImage> images(String html) {
        return PageExtractor.extract(html, PAGE).images();
    }

    public void testImgWithAltTitleHeadingAndPageTitle() {
        List<HarvestedImage> found = images(
            "<html><head><title> Dogs </title></head><body><h1>Top</h1><h2>On the beach</h2>"
                + "<p><img src='dog.jpg' alt='A dog' title='Rex'></p></body></html>"
        );
        assertEquals(
            List.of(new HarvestedImage("https://example.org/gallery/dog.jpg", "A dog", "Rex", null, "On the beach", "Dogs", PAGE.toString())),
            found
        );
    }

    public void testFigcaptionOfTheEnclosingFigure() {
        HarvestedImage img = images("<figure><div><img src='/a.jpg'></div><figcaption>Two cats <b>asleep</b></figcaption></figure>").get(0);
        assertEquals("https://example.org/a.jpg", img.url());
        assertEquals("Two cats asleep", img.caption());
        assertNull(img.heading());
    }

    public void testHeadingIsTheNearestPrecedingOneInDocumentOrder() {
        List<HarvestedImage> found = images(
            "<img src='0.jpg'><h3>First</h3><div><img src='1.jpg'></div><section><h2>Second</h2></section><img src='2.jpg'>"
        );
        assertNull(found.get(0).heading());
        assertEquals("First", found.get(1).heading());
        assertEquals("Second", found.get(2).heading());
    }

    public void testSrcsetGivesTheLargestCandidate() {
        HarvestedImage img = images("<img src='small.jpg' srcset='medium.jpg 640w, large.jpg 1280w' alt='x'>").get(0);
        assertEquals("https://example.org/gallery/large.jpg", img.url());
    }

    public void testPictureSourcesInFormatsWeCannotDecodeAreSkipped() {
        HarvestedImage img = images(
            "<picture><source type='image/avif' srcset='huge.avif 4000w'>"
                + "<source type='image/webp' srcset='/p/big.webp 2000w, /p/mid.webp 1000w'>"
                + "<img src='/p/fallback.jpg' srcset='/p/fb-2x.jpg 1600w' alt='bridge'></picture>"
        ).get(0);
        assertEquals("https://example.org/p/big.webp", img.url());
        assertEquals("bridge", img.alt());
    }

    public void testOgImageMergesWithTheSameImgAndDedupes() {
        List<HarvestedImage> found = images(
            "<html><head><title>T</title><meta property='og:image' content='https://cdn.example.org/hero.jpg'>"
                + "<meta property='og:image:alt' content='hero shot'></head><body><h1>H</h1>"
                + "<figure><img src='https://cdn.example.org/hero.jpg' title='Hero'><figcaption>cap</figcaption></figure>"
                + "<img src='https://cdn.example.org/hero.jpg' alt='later alt'><img src='other.png'></body></html>"
        );
        assertEquals(2, found.size());
        assertEquals(
            new HarvestedImage("https://cdn.example.org/hero.jpg", "hero shot", "Hero", "cap", "H", "T", PAGE.toString()),
            found.get(0)
        );
        assertEquals("https://example.org/gallery/other.png", found.get(1).url());
    }

    public void testNonHttpImagesAreIgnored() {
        assertEquals(List.of(), images("<img src='data:image/png;base64,AAAA'><img src='javascript:x'><img>"));
    }

    public void testLinksAreAbsoluteWithoutFragmentsAndOnce() {
        List<URI> links = PageExtractor.extract(
            "<base href='https://example.org/b/'><a href='p2.html#top'>a</a><a href='p2.html'>b</a>"
                + "<a href='mailto:x@y'>m</a><a href='https://other.org/'>o</a>",
            PAGE
        ).links();
        assertEquals(List.of(URI.create("https://example.org/b/p2.html"), URI.create("https://other.org/")), links);
    }

    public void testCharsetFromTheContentType() throws IOException {
        byte[] latin1 = "<title>Caf\u00e9</title><img src='c.jpg'>".getBytes(StandardCharsets.ISO_8859_1);
        PageExtractor.Page page = PageExtractor.extract(latin1, "text/html; charset=ISO-8859-1", PAGE);
        assertEquals("Caf\u00e9", page.images().get(0).pageTitle());
    }

    public void testDocumentIdDependsOnTheUrlOnly() {
        HarvestedImage a = new HarvestedImage("https://example.org/a.jpg", "x", null, null, null, null, "p1");
        HarvestedImage b = new HarvestedImage("https://example.org/a.jpg", null, "y", null, null, null, "p2");
        assertEquals(a.documentId(), b.documentId());
        assertEquals(40, a.documentId().length());
        assertNotEquals(a.documentId(), new HarvestedImage("https://example.org/b.jpg", null, null, null, null, null, null).documentId());
        assertEquals(java.util.Map.of("image", "https://example.org/a.jpg", "alt", "x", "source_page", "p1"), a.document());
    }
}
