package org.opensearch.cliphybrid.harvest;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image URLs in the text of inline scripts: the JSON a framework boots from ({@code __NEXT_DATA__}, {@code __NUXT__},
 * {@code window.__INITIAL_STATE__ = {...}}) or any other script data. The text is scanned, not parsed, since most of it is
 * JavaScript rather than JSON. JSON escapes are undone first ({@code https:\/\/}, {@code \u002F} and any other
 * {@code \}{@code uXXXX} of a printable ASCII character). An absolute http(s) URL is taken when
 * <ul>
 *   <li>its path ends in {@code .jpg}, {@code .jpeg}, {@code .png}, {@code .webp}, {@code .gif} or {@code .bmp} (any case,
 *   a query or fragment may follow); {@code .avif}, {@code .svg}, {@code .jxl}, {@code .heic} and {@code .ico} are image
 *   extensions too but are skipped, since the decoder cannot read them; or</li>
 *   <li>its last path segment has no extension and either its host starts with {@code images.}, {@code image.},
 *   {@code img.} or {@code imgs.} (an image CDN such as {@code images.unsplash.com/photo-...?w=1080}), or a directory of
 *   its path is {@code images}, {@code image}, {@code img}, {@code imgs}, {@code photos}, {@code photo}, {@code pictures}
 *   or {@code media} and its query has a size or format parameter ({@code w}, {@code width}, {@code h}, {@code height},
 *   {@code fm}, {@code format}). A directory alone is not enough: stock-photo sites serve HTML pages there
 *   ({@code unsplash.com/photos/<id>}, {@code stock.adobe.com/images/<slug>/<id>}).</li>
 * </ul>
 * URLs over {@link HarvestRequest#MAX_URL_LENGTH} characters are skipped. Each page's scan is linear in the script text, which the page's byte cap ({@code plugins.clip.image.max_bytes}) bounds;
 * JSON-LD blocks are left to {@link JsonLdImages}.
 */
final class ScriptImageUrls {
    private ScriptImageUrls() {}

    // no quotes, whitespace, backslashes, angle brackets or parentheses: they end a URL in JSON and JavaScript text
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'`<>\\\\(){}|^\\[\\]]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u([0-9a-fA-F]{4})");
    private static final Set<String> TAKEN = Set.of("jpg", "jpeg", "png", "webp", "gif", "bmp");
    private static final Set<String> IMAGE_HOST_LABELS = Set.of("images", "image", "img", "imgs");
    private static final Set<String> IMAGE_DIRS = Set.of("images", "image", "img", "imgs", "photos", "photo", "pictures", "media");
    private static final Set<String> IMAGE_QUERY_PARAMS = Set.of("w", "width", "h", "height", "fm", "format");

    record Found(List<String> urls, int dropped) {}

    static Found find(Document doc, int max) {
        Set<String> urls = new LinkedHashSet<>();
        int dropped = 0;
        for (Element script : doc.select("script")) {
            if (script.attr("type").strip().equalsIgnoreCase("application/ld+json")) {
                continue;
            }
            String text = script.data();
            if (text.indexOf("http") < 0) {
                continue;
            }
            Matcher m = URL.matcher(unescape(text));
            while (m.find()) {
                String url = trimEnd(m.group());
                // past the request's own URL limit it is no address a page would load
                if (url.length() > HarvestRequest.MAX_URL_LENGTH || isImageUrl(url) == false || urls.contains(url)) {
                    continue;
                }
                if (urls.size() < max) {
                    urls.add(url);
                } else {
                    dropped++;
                }
            }
        }
        return new Found(List.copyOf(urls), dropped);
    }

    /** Undoes the escapes JSON allows in a URL, leaving every other backslash, which then ends the URL. */
    static String unescape(String text) {
        String s = text.replace("\\/", "/");
        if (s.indexOf("\\u") < 0) {
            return s;
        }
        Matcher m = UNICODE_ESCAPE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            int c = Integer.parseInt(m.group(1), 16);
            m.appendReplacement(out, c > 0x20 && c < 0x7f ? Matcher.quoteReplacement(String.valueOf((char) c)) : "$0");
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A sentence may end just after a URL in a string. */
    private static String trimEnd(String url) {
        int end = url.length();
        while (end > 0 && ".,;:!".indexOf(url.charAt(end - 1)) >= 0) {
            end--;
        }
        return url.substring(0, end);
    }

    static boolean isImageUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        String host = uri.getHost();
        String path = uri.getRawPath();
        if (host == null || path == null) {
            return false;
        }
        String[] segments = path.toLowerCase(Locale.ROOT).split("/", -1);
        String last = segments[segments.length - 1];
        int dot = last.lastIndexOf('.');
        if (dot >= 0) {
            return TAKEN.contains(last.substring(dot + 1));
        }
        if (last.isEmpty()) {
            return false;
        }
        String label = host.toLowerCase(Locale.ROOT).split("\\.", 2)[0];
        if (IMAGE_HOST_LABELS.contains(label)) {
            return true;
        }
        boolean imageDir = false;
        for (int i = 0; i < segments.length - 1; i++) {
            imageDir |= IMAGE_DIRS.contains(segments[i]);
        }
        return imageDir && hasImageQueryParam(uri.getRawQuery());
    }

    private static boolean hasImageQueryParam(String query) {
        if (query == null) {
            return false;
        }
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            if (eq > 0 && IMAGE_QUERY_PARAMS.contains(param.substring(0, eq).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
