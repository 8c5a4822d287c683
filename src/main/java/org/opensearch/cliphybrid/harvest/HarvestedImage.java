package org.opensearch.cliphybrid.harvest;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One image found on a page, with the text around it that says what it shows; every text field may be null. */
public record HarvestedImage(String url, String alt, String title, String caption, String heading, String pageTitle, String sourcePage) {

    /** The same image seen twice on one page (say as og:image and as an img): each field keeps its first non-empty value. */
    public HarvestedImage merge(HarvestedImage other) {
        return new HarvestedImage(
            url,
            first(alt, other.alt),
            first(title, other.title),
            first(caption, other.caption),
            first(heading, other.heading),
            first(pageTitle, other.pageTitle),
            first(sourcePage, other.sourcePage)
        );
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    /** A function of the URL alone, so that harvesting a page again overwrites its documents instead of adding copies. */
    public String documentId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return String.format("%064x", new BigInteger(1, digest)).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The document indexed through the pipeline; {@code image} is what {@code clip_embedding} reads. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("image", url);
        put(doc, "title", title);
        put(doc, "alt", alt);
        put(doc, "caption", caption);
        put(doc, "heading", heading);
        put(doc, "page_title", pageTitle);
        put(doc, "source_page", sourcePage);
        return doc;
    }

    private static void put(Map<String, Object> doc, String key, String value) {
        if (value != null) {
            doc.put(key, value);
        }
    }
}
