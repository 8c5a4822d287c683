package org.opensearch.cliphybrid.harvest;

import java.net.URI;
import java.util.Locale;

/** URL and text helpers the extractors share. */
final class Urls {
    private Urls() {}

    static String resolve(String base, String relative) {
        try {
            return URI.create(base).resolve(relative.strip().replace(" ", "%20")).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Null for anything the pipeline would not fetch by URL (data:, blob:, javascript:, empty). */
    static String httpUrl(String url) {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://") ? url : null;
    }

    static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
