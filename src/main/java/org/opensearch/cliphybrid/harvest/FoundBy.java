package org.opensearch.cliphybrid.harvest;

import java.util.Locale;

/**
 * How an image was found on a page, written to its document as {@code found_by} and counted in the harvest summary, so that
 * a user can tell which part of a page gave the images and which static pages give little without a browser.
 */
public enum FoundBy {
    /** an {@code img src} */
    IMG,
    /** a candidate of an {@code img srcset} that was larger than its {@code src} */
    SRCSET,
    /** a {@code picture > source srcset} that was larger than its {@code img} */
    PICTURE,
    /** {@code og:image} and its variants */
    OG_IMAGE,
    /** an attribute a lazy-loading script reads in place of {@code src}/{@code srcset}, see {@link LazyImages} */
    LAZY_ATTRIBUTE,
    /** an {@code img} inside {@code <noscript>}, the fallback a lazy-loading page gives browsers without scripts */
    NOSCRIPT,
    /** a schema.org object in {@code <script type="application/ld+json">}, see {@link JsonLdImages} */
    JSON_LD,
    /** an image URL in the text of an inline script, such as a framework's boot data, see {@link ScriptImageUrls} */
    SCRIPT_JSON;

    /** The name in documents and summaries. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
