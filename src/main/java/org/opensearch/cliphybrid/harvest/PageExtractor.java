package org.opensearch.cliphybrid.harvest;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds in one HTML page the images worth embedding ({@code img}, {@code picture} and {@code og:image}), with their alt text,
 * title, figcaption, nearest preceding heading and the page title, and the links the crawl may follow.
 */
public final class PageExtractor {
    private PageExtractor() {}

    public record Page(List<HarvestedImage> images, List<URI> links) {}

    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final String OG_IMAGE = "meta[property=og:image], meta[property=og:image:url], meta[property=og:image:secure_url]";
    // the formats ImageDecoder reads; a <picture> often lists AVIF or JPEG XL first, which would only fail to decode
    private static final Set<String> DECODABLE = Set.of("image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif", "image/bmp");

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
        String pageTitle = blankToNull(doc.title());
        String source = pageUrl.toString();
        Map<String, HarvestedImage> images = new LinkedHashMap<>();
        String heading = null;
        // one selection keeps document order, which is what "nearest preceding heading" means
        for (Element e : doc.select("h1, h2, h3, h4, h5, h6, img, " + OG_IMAGE)) {
            String tag = e.normalName();
            if (tag.length() == 2 && tag.charAt(0) == 'h') {
                heading = blankToNull(e.text());
            } else if (tag.equals("meta")) {
                String alt = Optional.ofNullable(doc.selectFirst("meta[property=og:image:alt]")).map(m -> m.attr("content")).orElse(null);
                add(images, httpUrl(e.absUrl("content")), blankToNull(alt), null, null, null, pageTitle, source);
            } else {
                String url = largestOf(e);
                Element figure = e.closest("figure");
                Element caption = figure == null ? null : figure.selectFirst("figcaption");
                add(
                    images,
                    url,
                    blankToNull(e.attr("alt")),
                    blankToNull(e.attr("title")),
                    caption == null ? null : blankToNull(caption.text()),
                    heading,
                    pageTitle,
                    source
                );
            }
        }
        return new Page(List.copyOf(images.values()), links(doc));
    }

    /** The largest of the img's src and srcset and, inside a picture, of its sources in formats we can decode. */
    private static String largestOf(Element img) {
        List<SrcSet.Candidate> candidates = new ArrayList<>();
        String src = httpUrl(img.absUrl("src"));
        if (src != null) {
            candidates.add(new SrcSet.Candidate(src, 0, 1));
        }
        addCandidates(img, candidates);
        Element parent = img.parent();
        if (parent != null && parent.normalName().equals("picture")) {
            for (Element source : parent.select("> source[srcset]")) {
                String type = source.attr("type").strip().toLowerCase(Locale.ROOT);
                if (type.isEmpty() || DECODABLE.contains(type)) {
                    addCandidates(source, candidates);
                }
            }
        }
        return candidates.stream().max(SrcSet.SIZE).map(SrcSet.Candidate::url).orElse(null);
    }

    private static void addCandidates(Element e, List<SrcSet.Candidate> out) {
        for (SrcSet.Candidate c : SrcSet.parse(e.attr("srcset"))) {
            String url = httpUrl(resolve(e.baseUri(), c.url()));
            if (url != null) {
                out.add(new SrcSet.Candidate(url, c.width(), c.density()));
            }
        }
    }

    private static void add(
        Map<String, HarvestedImage> images,
        String url,
        String alt,
        String title,
        String caption,
        String heading,
        String pageTitle,
        String source
    ) {
        if (url == null) {
            return;
        }
        images.merge(url, new HarvestedImage(url, alt, title, caption, heading, pageTitle, source), HarvestedImage::merge);
    }

    /** Links without their fragment, http(s) only, each once; which of them the crawl follows is the crawler's business. */
    private static List<URI> links(Document doc) {
        Set<URI> links = new LinkedHashSet<>();
        for (Element a : doc.select("a[href]")) {
            String url = httpUrl(a.absUrl("href"));
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

    private static String resolve(String base, String relative) {
        try {
            return URI.create(base).resolve(relative.replace(" ", "%20")).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Null for anything the pipeline would not fetch by URL (data:, blob:, javascript:, empty). */
    private static String httpUrl(String url) {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://") ? url : null;
    }

    private static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
