package org.opensearch.cliphybrid.harvest;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

import java.util.List;
import java.util.Locale;

/**
 * The {@code img}s of a {@code <noscript>} fallback, which lazy-loading pages give browsers without scripts. jsoup parses
 * noscript content as elements, so those imgs are met in the page's own walk; this reads the other form, a noscript whose
 * content is text (markup escaped as {@code &lt;img ...&gt;}, or content kept as raw data), by parsing that text.
 */
final class NoscriptImages {
    private NoscriptImages() {}

    /** The imgs of a noscript holding markup as text; empty when it holds elements (the walk sees those) or no img. */
    static List<Element> fromText(Element noscript) {
        if (noscript.childrenSize() > 0) {
            return List.of();
        }
        String text = noscript.data().isBlank() ? noscript.wholeText() : noscript.data();
        if (text.toLowerCase(Locale.ROOT).contains("<img") == false) {
            return List.of();
        }
        return Jsoup.parseBodyFragment(text, noscript.baseUri()).select("img");
    }
}
