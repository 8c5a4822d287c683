package org.opensearch.cliphybrid.harvest;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds in one HTML page the images worth embedding, with the text that says what they show, and the links the crawl may
 * follow. Images come from {@code img} ({@code src}, {@code srcset}, lazy attributes, {@code picture} sources; see
 * {@link ImgSources}), {@code <noscript>} fallbacks, {@code og:image}, JSON-LD ({@link JsonLdImages}) and inline script
 * data ({@link ScriptImageUrls}); each records how it was found ({@link FoundBy}), and the renditions of one picture are
 * folded into one image ({@link Renditions}). The text: alt, title, the enclosing figure's figcaption, the nearest preceding
 * heading and the page title; JSON-LD's name, caption, description and creator take precedence over what the HTML gives,
 * and an image that JSON-LD names has no heading, since the heading names a part of the page, not the picture.
 */
public final class PageExtractor {
    private PageExtractor() {}

    /**
     * The images, the links, and how many image URLs the page's JSON-LD and scripts held beyond
     * {@link #MAX_URLS_PER_SOURCE}.
     */
    public record Page(List<HarvestedImage> images, List<URI> links, int imagesDropped) {
        public Page(List<HarvestedImage> images, List<URI> links) {
            this(images, links, 0);
        }
    }

    /**
     * URLs that JSON-LD, and then inline scripts, may add to one page: the harvest's {@link Harvester#MAX_IMAGES_PER_PAGE}
     * pictures, each in up to four renditions, which {@link Renditions} folds back into one.
     */
    static final int MAX_URLS_PER_SOURCE = 4 * Harvester.MAX_IMAGES_PER_PAGE;

    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final String OG_IMAGE = "meta[property=og:image], meta[property=og:image:url], meta[property=og:image:secure_url]";

    /** {@code contentType} gives the charset when it names one; otherwise jsoup reads it from the BOM or a meta tag. */
    public static Page extract(byte[] html, String contentType, URI pageUrl) throws IOException {
        String charset = null;
        if (contentType != null) {
            Matcher m = CHARSET.matcher(contentType);
            if (m.find()) {
                charset = m.group(1);
            }
        }
        Document doc = Jsoup.parse(new ByteArrayInputStream(html), charset, pageUrl.toString());
        return extract(doc, pageUrl);
    }

    public static Page extract(String html, URI pageUrl) {
        return extract(Jsoup.parse(html, pageUrl.toString()), pageUrl);
    }

    private static Page extract(Document doc, URI pageUrl) {
        String pageTitle = Urls.blankToNull(doc.title());
        String source = pageUrl.toString();
        Map<String, HarvestedImage> images = new LinkedHashMap<>();
        String heading = null;
        // one selection keeps document order, which is what "nearest preceding heading" means
        for (Element e : doc.select("h1, h2, h3, h4, h5, h6, img, noscript, " + OG_IMAGE)) {
            String tag = e.normalName();
            if (tag.length() == 2 && tag.charAt(0) == 'h') {
                heading = Urls.blankToNull(e.text());
            } else if (tag.equals("meta")) {
                String alt = Optional.ofNullable(doc.selectFirst("meta[property=og:image:alt]")).map(m -> m.attr("content")).orElse(null);
                String url = Urls.httpUrl(e.absUrl("content"));
                if (url != null) {
                    add(images, new HarvestedImage(url, Urls.blankToNull(alt), null, null, null, pageTitle, source).tagged(FoundBy.OG_IMAGE));
                }
            } else if (tag.equals("noscript")) {
                for (Element img : NoscriptImages.fromText(e)) {
                    add(images, img(img, e, heading, pageTitle, source, true));
                }
            } else {
                add(images, img(e, e, heading, pageTitle, source, e.closest("noscript") != null));
            }
        }
        JsonLdImages.Found ld = JsonLdImages.find(doc, pageTitle, source, MAX_URLS_PER_SOURCE);
        for (HarvestedImage fromLd : ld.images()) {
            images.merge(fromLd.url(), fromLd, (html, described) -> {
                HarvestedImage merged = described.merge(html);
                return described.title() != null || described.caption() != null || described.description() != null
                    ? merged.withoutHeading()
                    : merged;
            });
        }
        ScriptImageUrls.Found scripts = ScriptImageUrls.find(doc, MAX_URLS_PER_SOURCE);
        for (String url : scripts.urls()) {
            add(images, new HarvestedImage(url, null, null, null, null, pageTitle, source).tagged(FoundBy.SCRIPT_JSON));
        }
        return new Page(Renditions.fold(List.copyOf(images.values())), links(doc), ld.dropped() + scripts.dropped());
    }

    /** Null when the img offers no http(s) URL; {@code place} is where it sits in the page (the noscript, for parsed text). */
    private static HarvestedImage img(Element img, Element place, String heading, String pageTitle, String source, boolean noscript) {
        if (isTrackingPixel(img)) {
            return null;
        }
        Candidates.Tagged largest = ImgSources.largest(img);
        if (largest == null) {
            return null;
        }
        Element figure = place.closest("figure");
        Element caption = figure == null ? null : figure.selectFirst("figcaption");
        return new HarvestedImage(
            largest.url(),
            Urls.blankToNull(img.attr("alt")),
            Urls.blankToNull(img.attr("title")),
            caption == null ? null : Urls.blankToNull(caption.text()),
            heading,
            pageTitle,
            source
        ).tagged(noscript ? FoundBy.NOSCRIPT : largest.how());
    }

    /** A 1x1 or 0x0 img, such as the noscript fallback of an analytics pixel, shows nothing to search for. */
    private static boolean isTrackingPixel(Element img) {
        return isAtMostOne(img.attr("width")) && isAtMostOne(img.attr("height"));
    }

    private static boolean isAtMostOne(String dimension) {
        String d = dimension.strip();
        return d.equals("0") || d.equals("1") || d.equals("0px") || d.equals("1px");
    }

    private static void add(Map<String, HarvestedImage> images, HarvestedImage image) {
        if (image != null) {
            images.merge(image.url(), image, HarvestedImage::merge);
        }
    }

    /** Links without their fragment, http(s) only, each once; which of them the crawl follows is the crawler's business. */
    private static List<URI> links(Document doc) {
        Set<URI> links = new LinkedHashSet<>();
        for (Element a : doc.select("a[href]")) {
            String url = Urls.httpUrl(a.absUrl("href"));
            if (url != null) {
                try {
                    URI uri = new URI(url);
                    links.add(new URI(uri.getScheme(), uri.getSchemeSpecificPart(), null));
                } catch (URISyntaxException e) {
                    // jsoup resolves leniently; a link java.net.URI cannot hold is one the fetcher could not follow either
                }
            }
        }
        return List.copyOf(links);
    }
}
