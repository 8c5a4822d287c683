package org.opensearch.cliphybrid.harvest;

import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

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
            List.of(
                new HarvestedImage("https://example.org/gallery/dog.jpg", "A dog", "Rex", null, "On the beach", "Dogs", PAGE.toString())
                    .tagged(FoundBy.IMG)
            ),
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
        assertEquals(Set.of(FoundBy.SRCSET), img.foundBy());
    }

    public void testPictureSourcesInFormatsWeCannotDecodeAreSkipped() {
        HarvestedImage img = images(
            "<picture><source type='image/avif' srcset='huge.avif 4000w'>"
                + "<source type='image/webp' srcset='/p/big.webp 2000w, /p/mid.webp 1000w'>"
                + "<img src='/p/fallback.jpg' srcset='/p/fb-2x.jpg 1600w' alt='bridge'></picture>"
        ).get(0);
        assertEquals("https://example.org/p/big.webp", img.url());
        assertEquals("bridge", img.alt());
        assertEquals(Set.of(FoundBy.PICTURE), img.foundBy());
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
            new HarvestedImage(
                "https://cdn.example.org/hero.jpg",
                "hero shot",
                "Hero",
                "cap",
                "H",
                "T",
                PAGE.toString(),
                null,
                null,
                Set.of(FoundBy.OG_IMAGE, FoundBy.IMG),
                List.of()
            ),
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

    public void testLazyPageTakesTheLazyAttributesOverThePlaceholders() {
        List<HarvestedImage> found = images(
            "<h2>Lazy</h2>"
                // lazysizes: a blank placeholder in src, the real candidates in data-srcset
                + "<img class='lazyload' src='/blank.gif' data-src='/l/a-small.jpg' data-srcset='/l/a-640.jpg 640w, /l/a-1280.jpg 1280w' alt='a'>"
                // WordPress lazy plugins, jQuery Lazy Load, Slick, echo.js, Slider Revolution
                + "<img src='data:image/gif;base64,R0lGOD' data-lazy-src='/l/b.jpg' alt='b'>"
                + "<img data-original='/l/c.jpg'><img data-lazy='/l/d.jpg'><img data-echo='/l/e.jpg'><img data-lazyload='/l/f.jpg'>"
                + "<img data-lazy-srcset='/l/g-1x.jpg 1x, /l/g-2x.jpg 2x'>"
                + "<picture><source type='image/webp' data-srcset='/l/h-2000.webp 2000w'><img src='/blank.gif' data-src='/l/h.jpg'></picture>"
                + "<img src='/l/plain.jpg' alt='not lazy'>"
                // a lazy img's own src and srcset are placeholders, however large they say they are
                + "<img src='/l/lqip.jpg' srcset='/l/lqip-wide.jpg 2000w' data-src='/l/real.jpg'>"
        );
        assertEquals(
            List.of(
                "https://example.org/l/a-1280.jpg",
                "https://example.org/l/b.jpg",
                "https://example.org/l/c.jpg",
                "https://example.org/l/d.jpg",
                "https://example.org/l/e.jpg",
                "https://example.org/l/f.jpg",
                "https://example.org/l/g-2x.jpg",
                "https://example.org/l/h-2000.webp",
                "https://example.org/l/plain.jpg",
                "https://example.org/l/real.jpg"
            ),
            found.stream().map(HarvestedImage::url).toList()
        );
        for (int i = 0; i < 8; i++) {
            assertEquals(found.get(i).url(), Set.of(FoundBy.LAZY_ATTRIBUTE), found.get(i).foundBy());
        }
        assertEquals(Set.of(FoundBy.IMG), found.get(8).foundBy());
        assertEquals("Lazy", found.get(0).heading());
        assertEquals("a", found.get(0).alt());
        assertFalse("the placeholder is not an image to embed", found.stream().anyMatch(i -> i.url().endsWith("blank.gif")));
    }

    public void testNoscriptFallbackIsFoundAndMergesWithItsLazyImg() {
        List<HarvestedImage> found = images(
            "<h1>Gallery</h1><figure><img class='lazy' data-src='/n/a.jpg'><noscript><img src='/n/a.jpg' alt='A cat'></noscript>"
                + "<figcaption>Cat</figcaption></figure>"
                + "<noscript><img src='/n/only.jpg' alt='only here'></noscript>"
                // markup escaped as text, as some lazy plugins write it
                + "<noscript>&lt;img src=\"/n/escaped.jpg\" alt=\"escaped\"&gt;</noscript>"
        );
        assertEquals(3, found.size());
        assertEquals(
            new HarvestedImage(
                "https://example.org/n/a.jpg",
                "A cat",
                null,
                "Cat",
                "Gallery",
                null,
                PAGE.toString(),
                null,
                null,
                Set.of(FoundBy.LAZY_ATTRIBUTE, FoundBy.NOSCRIPT),
                List.of()
            ),
            found.get(0)
        );
        assertEquals("https://example.org/n/only.jpg", found.get(1).url());
        assertEquals(Set.of(FoundBy.NOSCRIPT), found.get(1).foundBy());
        assertEquals("https://example.org/n/escaped.jpg", found.get(2).url());
        assertEquals("escaped", found.get(2).alt());
        assertEquals(Set.of(FoundBy.NOSCRIPT), found.get(2).foundBy());
    }

    public void testJsonLdGraphWithPersonCreatorWinsOverTheHeading() {
        List<HarvestedImage> found = images("""
            <html><head><title>Stock</title><script type="application/ld+json">
            {"@context": "https://schema.org", "@graph": [
              {"@type": "WebPage", "name": "Stock", "primaryImageOfPage": {"@id": "#primary"}},
              {"@type": "ImageObject", "@id": "#primary", "contentUrl": "https://cdn.example.org/p/lion.jpg",
               "url": "https://example.org/photo/lion", "name": "Lion at dusk", "caption": "A lion resting in the grass",
               "description": "A male lion, Serengeti", "creator": {"@type": "Person", "name": "Ana Ruiz"}},
              {"@type": "Product", "name": "Red chair", "description": "A chair", "image": ["/p/chair.jpg",
               {"@type": "ImageObject", "url": "/p/chair-side.jpg", "caption": "From the side"}],
               "brand": {"@type": "Brand", "logo": "/logo.png"}},
              {"@type": "Article", "associatedMedia": [{"@type": "VideoObject", "contentUrl": "/v.mp4"},
               {"@type": "ImageObject", "contentUrl": "/p/river.jpg", "creator": ["Bo", {"@type": "Organization", "name": "Acme"}]}],
               "author": {"@type": "Person", "name": "X", "image": "/avatar.jpg"}}
            ]}
            </script></head><body><h2>Popular photos</h2><img src="https://cdn.example.org/p/lion.jpg" alt="lion"></body></html>
            """);
        assertEquals(
            List.of(
                "https://cdn.example.org/p/lion.jpg",
                "https://example.org/p/chair.jpg",
                "https://example.org/p/chair-side.jpg",
                "https://example.org/p/river.jpg"
            ),
            found.stream().map(HarvestedImage::url).toList()
        );
        HarvestedImage lion = found.get(0);
        assertEquals("Lion at dusk", lion.title());
        assertEquals("A lion resting in the grass", lion.caption());
        assertEquals("A male lion, Serengeti", lion.description());
        assertEquals("Ana Ruiz", lion.creator());
        assertEquals("lion", lion.alt());
        assertNull("JSON-LD names the picture, the heading only the page's part", lion.heading());
        assertEquals(Set.of(FoundBy.IMG, FoundBy.JSON_LD), lion.foundBy());
        assertEquals("Stock", lion.pageTitle());

        HarvestedImage chair = found.get(1);
        assertEquals("Red chair", chair.title());
        assertEquals("A chair", chair.description());
        assertEquals(Set.of(FoundBy.JSON_LD), chair.foundBy());
        HarvestedImage side = found.get(2);
        assertEquals("the product's name for its image object", "Red chair", side.title());
        assertEquals("From the side", side.caption());
        assertEquals("Bo, Acme", found.get(3).creator());
    }

    public void testNextDataWithEscapedUrls() {
        List<HarvestedImage> found = images("""
            <html><head><title>Next</title></head><body><div id="__next"></div>
            <script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"photos":[
              {"id":1,"src":"https:\\/\\/cdn.example.org\\/photos\\/1234.jpg?fit=crop\\u0026q=80","href":"https:\\/\\/example.org\\/photos\\/1234"},
              {"id":2,"src":"https:\\u002F\\u002Fcdn.example.org\\u002Fphotos\\u002F1235.JPEG"},
              {"id":3,"src":"https://images.example.net/photo-abc?auto=format"},
              {"id":4,"src":"https://cdn.example.org/icons/logo.svg"},
              {"id":5,"src":"https://cdn.example.org/p/5.avif"}]}}}</script>
            <script>window.__STATE__ = {hero: "https://cdn.example.org/img/hero.webp"}; fetch("https://api.example.org/v1/items");</script>
            </body></html>
            """);
        assertEquals(
            List.of(
                "https://cdn.example.org/photos/1234.jpg?fit=crop&q=80",
                "https://cdn.example.org/photos/1235.JPEG",
                "https://images.example.net/photo-abc?auto=format",
                "https://cdn.example.org/img/hero.webp"
            ),
            found.stream().map(HarvestedImage::url).toList()
        );
        for (HarvestedImage image : found) {
            assertEquals(Set.of(FoundBy.SCRIPT_JSON), image.foundBy());
            assertEquals("Next", image.pageTitle());
            assertEquals(PAGE.toString(), image.sourcePage());
        }
    }

    public void testTwoRenditionsPageKeepsTheLargestOfEachPicture() {
        List<HarvestedImage> found = images(
            "<h2>Results</h2>"
                + "<img src='https://st.example.com/image-photo/red-fox-260nw-2234567.jpg' alt='Red fox'>"
                + "<img src='https://st.example.com/image-photo/owl-260nw-2234568.jpg' alt='Owl'>"
                + "<a href='/p/1'><img src='https://st.example.com/image-photo/red-fox-600w-2234567.jpg' title='Fox, large'></a>"
                + "<img src='https://st.example.com/image-photo/owl-600w-2234568.jpg'>"
                + "<img src='https://st.example.com/photos/1234.jpg'><img src='https://st.example.com/photos/1235.jpg'>"
        );
        assertEquals(
            List.of(
                "https://st.example.com/image-photo/red-fox-600w-2234567.jpg",
                "https://st.example.com/image-photo/owl-600w-2234568.jpg",
                "https://st.example.com/photos/1234.jpg",
                "https://st.example.com/photos/1235.jpg"
            ),
            found.stream().map(HarvestedImage::url).toList()
        );
        HarvestedImage fox = found.get(0);
        assertEquals(List.of("https://st.example.com/image-photo/red-fox-260nw-2234567.jpg"), fox.renditions());
        assertEquals("the largest's own text first", "Fox, large", fox.title());
        assertEquals("the smaller one's text fills the gaps", "Red fox", fox.alt());
        assertEquals("Owl", found.get(1).alt());
        assertEquals(List.of(), found.get(2).renditions());
    }

    public void testScriptAndJsonLdUrlsPerPageAreCapped() {
        StringBuilder script = new StringBuilder("<script>var urls = [");
        for (int i = 0; i < PageExtractor.MAX_URLS_PER_SOURCE + 7; i++) {
            script.append("\"https://cdn.example.org/s/").append(i).append(".jpg\",");
        }
        PageExtractor.Page page = PageExtractor.extract(script.append("];</script>").toString(), PAGE);
        assertEquals(PageExtractor.MAX_URLS_PER_SOURCE, page.images().size());
        assertEquals(7, page.imagesDropped());
    }

    public void testDocumentCarriesHowItWasFoundAndTheRenditions() {
        HarvestedImage image = new HarvestedImage(
            "https://example.org/a-600w.jpg",
            null,
            "Lion",
            null,
            null,
            "T",
            "p",
            "A lion",
            "Ana",
            Set.of(FoundBy.JSON_LD, FoundBy.IMG),
            List.of("https://example.org/a-260w.jpg")
        );
        assertEquals(
            java.util.Map.of(
                "image", "https://example.org/a-600w.jpg",
                "title", "Lion",
                "description", "A lion",
                "creator", "Ana",
                "page_title", "T",
                "source_page", "p",
                "found_by", List.of("img", "json_ld"),
                "renditions", List.of("https://example.org/a-260w.jpg")
            ),
            image.document()
        );
    }

    public void testTrackingPixelsAreNotImages() {
        List<HarvestedImage> found = images(
            "<noscript><img height='1' width='1' style='display:none' src='https://www.facebook.com/tr?id=1&ev=PageView&noscript=1'></noscript>"
                + "<img src='/spacer.gif' width='0' height='0'><img src='/real.jpg' width='1' height='400'>"
        );
        assertEquals(List.of("https://example.org/real.jpg"), found.stream().map(HarvestedImage::url).toList());
    }
}
