package org.opensearch.cliphybrid.harvest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folds the renditions of one picture on a page into one image: URLs that are equal once their size tokens are taken out
 * become one document, at the largest URL, with the others in {@code renditions}. A missed merge only costs a duplicate
 * document, a false one loses a picture, so only these tokens count, and everything else in the URL must be equal (scheme,
 * host, port, every other path segment, the extension, every other query parameter):
 * <ul>
 *   <li>in the file name, delimited by the name's start or end or a non-alphanumeric character: {@code 260x180},
 *   {@code 600w}, {@code 260nw}, {@code 600px}, {@code w_600}, {@code h_400} (2 to 5 digits), taken out with the
 *   separator before them ({@code lake-300x200.jpg} is a rendition of {@code lake.jpg}), and a final {@code @2x};</li>
 *   <li>a whole directory segment: {@code 600x400}, {@code 600w}, {@code 260nw}, {@code 600px}, {@code w600},
 *   {@code h400}, {@code s1600}, {@code w_600}; a list of such tokens and transform parameters joined by commas or hyphens
 *   ({@code w_600,h_400,c_fill}, {@code w640-h480}); a size name ({@code thumb}, {@code thumbs}, {@code thumbnail},
 *   {@code thumbnails}, {@code small}, {@code medium}, {@code large}, {@code original}, {@code originals}, {@code full});
 *   a bare number right after a segment {@code w}, {@code h}, {@code width}, {@code height}, {@code size},
 *   {@code resize} or {@code fit} ({@code /resize/600/}). A bare number anywhere else is never a size: it cannot be told
 *   from an id ({@code /products/101/main.jpg} and {@code /products/102/main.jpg} are two pictures);</li>
 *   <li>the query parameters {@code w}, {@code width}, {@code h}, {@code height}, {@code size}, {@code resize},
 *   {@code s}, {@code dpr}, {@code maxwidth}, {@code max_width}, {@code maxheight}, {@code max_height}, {@code mw},
 *   {@code mh}, when the value is a number, {@code WIDTHxHEIGHT} or a size name (a signature in {@code s} stays part of
 *   the URL).</li>
 * </ul>
 * The largest is the URL without any pixel or name token (the original the others were cut from), then the one with the largest
 * pixel number in its tokens, then the largest density ({@code @2x}, {@code dpr}), then the largest size name; the first
 * found wins a tie. Renditions are folded within one page; the harvest indexes each URL once across pages.
 */
final class Renditions {
    private Renditions() {}

    private static final String SIZE = "(?:(\\d{2,5})x(\\d{2,5})|(\\d{2,5})(?:w|nw|px)|[wh]_(\\d{2,5}))";
    private static final Pattern FILE_TOKEN = Pattern.compile("(?<![a-z0-9])" + SIZE + "(?![a-z0-9])", Pattern.CASE_INSENSITIVE);
    private static final Pattern DENSITY_SUFFIX = Pattern.compile("@(\\d(?:\\.\\d+)?)x$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIR_SIZE = Pattern.compile(
        "(?:(\\d{2,5})x(\\d{2,5})|(\\d{2,5})(?:w|nw|px)|[whs]_?(\\d{2,5}))",
        Pattern.CASE_INSENSITIVE
    );
    private static final Pattern TRANSFORM = Pattern.compile("[a-z]{1,3}_[a-z0-9.:]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE_NUMBER = Pattern.compile("\\d{1,5}");
    private static final Pattern SIZE_VALUE = Pattern.compile("(\\d{1,5})(?:x(\\d{1,5}))?|(\\d(?:\\.\\d+)?)");
    private static final Map<String, Integer> NAMED = Map.ofEntries(
        Map.entry("thumb", 1),
        Map.entry("thumbs", 1),
        Map.entry("thumbnail", 1),
        Map.entry("thumbnails", 1),
        Map.entry("small", 2),
        Map.entry("medium", 3),
        Map.entry("large", 4),
        Map.entry("original", 5),
        Map.entry("originals", 5),
        Map.entry("full", 5)
    );
    private static final Set<String> SIZE_KEYWORDS = Set.of("w", "h", "width", "height", "size", "resize", "fit");
    private static final Set<String> SIZE_PARAMS = Set.of(
        "w", "width", "h", "height", "size", "resize", "s", "dpr", "maxwidth", "max_width", "maxheight", "max_height", "mw", "mh"
    );
    private static final Set<String> DENSITY_PARAMS = Set.of("dpr");

    /**
     * A URL with its size tokens taken out ({@code key}) and what the tokens said; {@code hasTokens} is about pixel and
     * name tokens, since a URL without a density token is the 1x one, not an original.
     */
    record Sized(String key, boolean hasTokens, int pixels, double density, int named) {}

    static final Comparator<Sized> LARGEST = Comparator.<Sized>comparingInt(s -> s.hasTokens() ? 0 : 1)
        .thenComparingInt(Sized::pixels)
        .thenComparingDouble(Sized::density)
        .thenComparingInt(Sized::named);

    /** One image per picture, in the order each picture was first found. */
    static List<HarvestedImage> fold(List<HarvestedImage> images) {
        Map<String, List<HarvestedImage>> groups = new LinkedHashMap<>();
        Map<String, Sized> sizes = new LinkedHashMap<>();
        for (HarvestedImage image : images) {
            Sized sized = parse(image.url());
            sizes.put(image.url(), sized);
            // a URL that cannot be parsed is its own picture
            String key = sized == null ? "\u0000" + image.url() : sized.key();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(image);
        }
        List<HarvestedImage> out = new ArrayList<>(groups.size());
        for (List<HarvestedImage> group : groups.values()) {
            if (group.size() == 1) {
                out.add(group.get(0));
                continue;
            }
            HarvestedImage best = group.get(0);
            for (HarvestedImage candidate : group) {
                if (LARGEST.compare(sizes.get(candidate.url()), sizes.get(best.url())) > 0) {
                    best = candidate;
                }
            }
            List<HarvestedImage> others = new ArrayList<>(group);
            others.remove(best);
            out.add(best.withRenditions(others));
        }
        return out;
    }

    /** Null for a URL java.net.URI cannot read. */
    static Sized parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            return null;
        }
        Tokens t = new Tokens();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String[] segments = path.split("/", -1);
        StringBuilder key = new StringBuilder(uri.getScheme().toLowerCase(Locale.ROOT)).append("://")
            .append(uri.getRawAuthority().toLowerCase(Locale.ROOT));
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                key.append('/');
            }
            String segment = segments[i];
            if (i == segments.length - 1) {
                key.append(fileName(segment, t));
            } else if (i > 0 && BARE_NUMBER.matcher(segment).matches() && SIZE_KEYWORDS.contains(segments[i - 1].toLowerCase(Locale.ROOT))) {
                t.pixels(Integer.parseInt(segment));
                key.append("{size}");
            } else {
                key.append(directory(segment, t));
            }
        }
        key.append('?').append(query(uri.getRawQuery(), t));
        return new Sized(key.toString(), t.found, t.pixels, t.density, t.named);
    }

    private static String fileName(String name, Tokens t) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Matcher density = DENSITY_SUFFIX.matcher(base);
        if (density.find()) {
            t.density(Double.parseDouble(density.group(1)));
            base = base.substring(0, density.start());
        }
        Matcher m = FILE_TOKEN.matcher(base);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            t.pixels(m);
            m.appendReplacement(out, "\u0001");
        }
        m.appendTail(out);
        // the token goes with the separator before it, so that lake-300x200.jpg is a rendition of lake.jpg
        return out.toString().replaceAll("[-_.,]?\u0001", "") + ext.toLowerCase(Locale.ROOT);
    }

    private static String directory(String segment, Tokens t) {
        Integer named = NAMED.get(segment.toLowerCase(Locale.ROOT));
        if (named != null) {
            t.named(named);
            return "{name}";
        }
        Matcher whole = DIR_SIZE.matcher(segment);
        if (whole.matches()) {
            t.pixels(whole);
            return "{size}";
        }
        String[] parts = segment.split("[,-]");
        if (parts.length < 2) {
            return segment;
        }
        boolean sized = false;
        for (String part : parts) {
            Matcher m = DIR_SIZE.matcher(part);
            if (m.matches()) {
                sized = true;
            } else if (TRANSFORM.matcher(part).matches() == false) {
                return segment;
            }
        }
        if (sized == false) {
            return segment;
        }
        // a transform list: its size parts are the tokens, and its other parameters (a crop, a quality) must be equal
        StringBuilder out = new StringBuilder();
        for (String part : segment.split("(?<=[,-])|(?=[,-])")) {
            Matcher m = DIR_SIZE.matcher(part);
            if (m.matches()) {
                t.pixels(m);
                out.append("{size}");
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    private static String query(String raw, Tokens t) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        Set<String> kept = new TreeSet<>();
        for (String param : raw.split("&")) {
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : param.substring(eq + 1);
            if (SIZE_PARAMS.contains(name) && sizeValue(name, value, t)) {
                continue;
            }
            kept.add(param);
        }
        return String.join("&", kept);
    }

    private static boolean sizeValue(String name, String value, Tokens t) {
        Integer named = NAMED.get(value.toLowerCase(Locale.ROOT));
        if (named != null) {
            t.named(named);
            return true;
        }
        Matcher m = SIZE_VALUE.matcher(value);
        if (m.matches() == false) {
            return false;
        }
        if (DENSITY_PARAMS.contains(name)) {
            t.density(Double.parseDouble(value));
        } else if (m.group(1) != null) {
            t.pixels(Integer.parseInt(m.group(1)));
            if (m.group(2) != null) {
                t.pixels(Integer.parseInt(m.group(2)));
            }
        } else {
            return false;
        }
        return true;
    }

    /** What the tokens of one URL said: the largest pixel number, density and size name among them. */
    private static final class Tokens {
        boolean found;
        int pixels;
        double density = 1;
        int named;

        void pixels(int n) {
            found = true;
            pixels = Math.max(pixels, n);
        }

        /** The groups of {@link #SIZE} or {@link #DIR_SIZE}: each number there is a width or a height. */
        void pixels(Matcher m) {
            found = true;
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    pixels(Integer.parseInt(m.group(g)));
                }
            }
        }

        void density(double d) {
            density = Math.max(density, d);
        }

        void named(int rank) {
            found = true;
            named = Math.max(named, rank);
        }
    }
}
