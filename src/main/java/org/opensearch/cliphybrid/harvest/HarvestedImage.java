package org.opensearch.cliphybrid.harvest;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One image found on a page, with the text around it that says what it shows; every text field may be null.
 * {@code description} and {@code creator} come from JSON-LD only. {@code foundBy} says how the page gave the image, and
 * {@code renditions} holds the other sizes of the same picture that {@link Renditions} folded into this one.
 */
public record HarvestedImage(
    String url,
    String alt,
    String title,
    String caption,
    String heading,
    String pageTitle,
    String sourcePage,
    String description,
    String creator,
    Set<FoundBy> foundBy,
    List<String> renditions
) {

    public HarvestedImage {
        foundBy = foundBy == null || foundBy.isEmpty()
            ? Collections.emptySet()
            : Collections.unmodifiableSet(EnumSet.copyOf(foundBy));
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
    }

    /** An image with the text an HTML element gives, before anything says how it was found. */
    public HarvestedImage(String url, String alt, String title, String caption, String heading, String pageTitle, String sourcePage) {
        this(url, alt, title, caption, heading, pageTitle, sourcePage, null, null, Set.of(), List.of());
    }

    public HarvestedImage tagged(FoundBy how) {
        return new HarvestedImage(url, alt, title, caption, heading, pageTitle, sourcePage, description, creator, Set.of(how), renditions);
    }

    /** The same image with no heading: used when JSON-LD names the picture, since the heading only names the part of the page. */
    public HarvestedImage withoutHeading() {
        return new HarvestedImage(url, alt, title, caption, null, pageTitle, sourcePage, description, creator, foundBy, renditions);
    }

    /** The picture at this URL standing for {@code others}, smaller renditions of it; their text fills what this one lacks. */
    public HarvestedImage withRenditions(List<HarvestedImage> others) {
        HarvestedImage merged = this;
        List<String> urls = new ArrayList<>(renditions);
        for (HarvestedImage other : others) {
            merged = merged.merge(other);
            urls.add(other.url);
            urls.addAll(other.renditions);
        }
        return new HarvestedImage(
            url,
            merged.alt,
            merged.title,
            merged.caption,
            merged.heading,
            merged.pageTitle,
            merged.sourcePage,
            merged.description,
            merged.creator,
            merged.foundBy,
            distinctWithout(urls, url)
        );
    }

    /**
     * The same image seen twice on one page (say as og:image and as an img): each field keeps its first non-empty value,
     * the ways it was found and its renditions add up.
     */
    public HarvestedImage merge(HarvestedImage other) {
        Set<FoundBy> how = EnumSet.noneOf(FoundBy.class);
        how.addAll(foundBy);
        how.addAll(other.foundBy);
        List<String> urls = new ArrayList<>(renditions);
        urls.addAll(other.renditions);
        return new HarvestedImage(
            url,
            first(alt, other.alt),
            first(title, other.title),
            first(caption, other.caption),
            first(heading, other.heading),
            first(pageTitle, other.pageTitle),
            first(sourcePage, other.sourcePage),
            first(description, other.description),
            first(creator, other.creator),
            how,
            distinctWithout(urls, url)
        );
    }

    private static List<String> distinctWithout(List<String> urls, String self) {
        Set<String> distinct = new LinkedHashSet<>(urls);
        distinct.remove(self);
        return List.copyOf(distinct);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    /** A function of the URL alone, so that harvesting a page again overwrites its documents instead of adding copies. */
    public String documentId() {
        return documentId(url);
    }

    public static String documentId(String url) {
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
        put(doc, "description", description);
        put(doc, "creator", creator);
        put(doc, "heading", heading);
        put(doc, "page_title", pageTitle);
        put(doc, "source_page", sourcePage);
        if (foundBy.isEmpty() == false) {
            doc.put("found_by", foundBy.stream().map(FoundBy::tag).toList());
        }
        if (renditions.isEmpty() == false) {
            doc.put("renditions", renditions);
        }
        return doc;
    }

    private static void put(Map<String, Object> doc, String key, String value) {
        if (value != null) {
            doc.put(key, value);
        }
    }
}
