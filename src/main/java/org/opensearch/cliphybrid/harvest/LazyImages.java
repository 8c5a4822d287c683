package org.opensearch.cliphybrid.harvest;

import org.jsoup.nodes.Element;

import java.util.List;

/**
 * The attributes where lazy-loading scripts keep an image until it scrolls into view; the script then copies them into
 * {@code src}/{@code srcset}, which until then hold a placeholder (a blank GIF, a blurred thumbnail) or nothing. Read on
 * {@code img} and on {@code picture > source}:
 * <ul>
 *   <li>{@code data-src}, {@code data-srcset}: lazysizes, lozad.js, vanilla-lazyload, yall.js</li>
 *   <li>{@code data-lazy-src}, {@code data-lazy-srcset}: WordPress plugins (WP Rocket, Jetpack lazy images, a3 Lazy Load)</li>
 *   <li>{@code data-original}: jQuery Lazy Load</li>
 *   <li>{@code data-lazy}: Slick carousel</li>
 *   <li>{@code data-echo}: echo.js</li>
 *   <li>{@code data-lazyload}: Slider Revolution and themes built on it</li>
 * </ul>
 * Background images ({@code data-bg}, {@code data-bgset}, {@code data-background-image}) are left out: they sit on any
 * element and are mostly decoration.
 */
final class LazyImages {
    private LazyImages() {}

    /** Attributes holding one URL, in the order the candidates are listed (the first wins a tie in size). */
    static final List<String> SRC_ATTRIBUTES = List.of("data-src", "data-lazy-src", "data-original", "data-lazy", "data-echo", "data-lazyload");
    /** Attributes holding a srcset, resolved to its largest candidate like {@code srcset}. */
    static final List<String> SRCSET_ATTRIBUTES = List.of("data-srcset", "data-lazy-srcset");

    /** The candidates {@code e}'s lazy attributes give, as absolute http(s) URLs; empty when the element is not lazy. */
    static List<Candidates.Tagged> candidates(Element e) {
        Candidates out = new Candidates(FoundBy.LAZY_ATTRIBUTE);
        for (String name : SRC_ATTRIBUTES) {
            if (e.hasAttr(name)) {
                out.addUrl(e.absUrl(name));
            }
        }
        for (String name : SRCSET_ATTRIBUTES) {
            out.addSrcSet(e.baseUri(), e.attr(name));
        }
        return out.list();
    }
}
