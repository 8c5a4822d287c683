package org.opensearch.cliphybrid.harvest;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Images that schema.org JSON-LD ({@code <script type="application/ld+json">}) describes, with the metadata it gives them:
 * <ul>
 *   <li>every {@code ImageObject} at any depth, by its {@code contentUrl}, else its {@code url};</li>
 *   <li>the {@code image}, {@code associatedMedia} and {@code primaryImageOfPage} of any object (a {@code Product}, an
 *   {@code Article}, a {@code WebPage}...), whether a URL, an array or an object; {@code VideoObject}s and
 *   {@code AudioObject}s there are skipped, and so are bare {@code {"@id": ...}} references, whose target is found itself;</li>
 *   <li>{@code @graph} arrays and any other nesting, such as {@code ItemList > itemListElement > item}.</li>
 * </ul>
 * Metadata: {@code name} becomes the title, {@code caption} the caption, {@code description} the description and
 * {@code creator} (a string, or a {@code Person}/{@code Organization} with a {@code name}, or an array of them) the creator.
 * What an image object lacks is taken from the object whose {@code image} it is (a product's name for its photo). Objects
 * under {@code creator}, {@code author}, {@code publisher}, {@code logo}, {@code brand} and {@code thumbnail} are not searched:
 * their images are avatars, logos and smaller renditions. URLs over {@link HarvestRequest#MAX_URL_LENGTH} characters are
 * skipped. A block that is not valid JSON is skipped, as browsers and search engines skip it.
 */
final class JsonLdImages {
    private JsonLdImages() {}

    /** Larger than any block of page metadata we know of (product lists of a few hundred items are a few hundred KB). */
    static final int MAX_CHARS = 1 << 20;
    /**
     * schema.org trees are shallow: {@code @graph > ItemList > itemListElement > ListItem > item > Product > image >
     * ImageObject > creator} is 9 levels, arrays counted. Deeper subtrees are skipped unread.
     */
    static final int MAX_DEPTH = 20;

    private static final Set<String> IMAGE_TYPES = Set.of("imageobject");
    private static final Set<String> NOT_IMAGES = Set.of("videoobject", "audioobject");
    private static final List<String> IMAGE_KEYS = List.of("image", "associatedMedia", "primaryImageOfPage");
    private static final Set<String> NOT_SEARCHED = Set.of("creator", "author", "publisher", "logo", "brand", "thumbnail");

    /** What one block's walk found, in document order, and how many image URLs it left out past {@code max}. */
    record Found(List<HarvestedImage> images, int dropped) {}

    static Found find(Document doc, String pageTitle, String source, int max) {
        Walk walk = new Walk(doc.location(), pageTitle, source, max);
        for (Element script : doc.select("script[type=application/ld+json]")) {
            String json = script.data();
            if (json.length() > MAX_CHARS) {
                continue;
            }
            Object root;
            try {
                root = parse(json);
            } catch (IOException | RuntimeException e) {
                continue;
            }
            walk.node(root, null, 0);
        }
        return new Found(List.copyOf(walk.images.values()), walk.dropped);
    }

    private static Object parse(String json) throws IOException {
        try (
            XContentParser p = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.IGNORE_DEPRECATIONS, json)
        ) {
            return p.nextToken() == null ? null : read(p, 0);
        }
    }

    /** Objects, arrays and strings only (numbers say nothing about an image); past {@link #MAX_DEPTH} a subtree reads as null. */
    private static Object read(XContentParser p, int depth) throws IOException {
        XContentParser.Token token = p.currentToken();
        if (token == XContentParser.Token.START_OBJECT || token == XContentParser.Token.START_ARRAY) {
            if (depth >= MAX_DEPTH) {
                p.skipChildren();
                return null;
            }
            if (token == XContentParser.Token.START_OBJECT) {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == XContentParser.Token.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    Object value = read(p, depth + 1);
                    if (value != null) {
                        map.put(key, value);
                    }
                }
                return map;
            }
            List<Object> list = new ArrayList<>();
            while (p.nextToken() != XContentParser.Token.END_ARRAY) {
                Object value = read(p, depth + 1);
                if (value != null) {
                    list.add(value);
                }
            }
            return list;
        }
        return token == XContentParser.Token.VALUE_STRING ? p.text() : null;
    }

    private static final class Walk {
        private final String base;
        private final String pageTitle;
        private final String source;
        private final int max;
        private final Map<String, HarvestedImage> images = new LinkedHashMap<>();
        private int dropped;

        Walk(String base, String pageTitle, String source, int max) {
            this.base = base;
            this.pageTitle = pageTitle;
            this.source = source;
            this.max = max;
        }

        void node(Object node, Map<?, ?> owner, int depth) {
            if (depth > MAX_DEPTH) {
                return;
            }
            if (node instanceof List<?> list) {
                for (Object item : list) {
                    node(item, owner, depth + 1);
                }
            } else if (node instanceof Map<?, ?> map) {
                if (hasType(map, IMAGE_TYPES)) {
                    imageObject(map, owner);
                }
                for (String key : IMAGE_KEYS) {
                    imageValue(map.get(key), map, depth + 1);
                }
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (NOT_SEARCHED.contains(e.getKey()) == false && IMAGE_KEYS.contains(e.getKey()) == false) {
                        node(e.getValue(), map, depth + 1);
                    }
                }
            }
        }

        /** The value of an {@code image}-like key of {@code owner}. */
        private void imageValue(Object value, Map<?, ?> owner, int depth) {
            if (value == null || depth > MAX_DEPTH) {
                return;
            }
            if (value instanceof String url) {
                add(url, owner, null);
            } else if (value instanceof List<?> list) {
                for (Object item : list) {
                    imageValue(item, owner, depth + 1);
                }
            } else if (value instanceof Map<?, ?> map && hasType(map, NOT_IMAGES) == false) {
                if (hasType(map, IMAGE_TYPES) == false) {
                    imageObject(map, owner);
                }
                node(map, owner, depth);
            }
        }

        private void imageObject(Map<?, ?> image, Map<?, ?> owner) {
            Object url = image.get("contentUrl") != null ? image.get("contentUrl") : image.get("url");
            if (url instanceof List<?> list && list.isEmpty() == false) {
                url = list.get(0);
            }
            if (url instanceof String s) {
                add(s, image, owner);
            }
        }

        private void add(String rawUrl, Map<?, ?> object, Map<?, ?> owner) {
            String url = rawUrl.length() > HarvestRequest.MAX_URL_LENGTH ? null : Urls.httpUrl(Urls.resolve(base, rawUrl));
            if (url == null) {
                return;
            }
            if (images.containsKey(url) == false && images.size() >= max) {
                dropped++;
                return;
            }
            HarvestedImage image = new HarvestedImage(
                url,
                null,
                text(object, owner, "name"),
                text(object, null, "caption"),
                null,
                pageTitle,
                source,
                text(object, owner, "description"),
                creator(object.get("creator") != null || owner == null ? object.get("creator") : owner.get("creator")),
                Set.of(FoundBy.JSON_LD),
                List.of()
            );
            images.merge(url, image, HarvestedImage::merge);
        }
    }

    private static boolean hasType(Map<?, ?> map, Set<String> types) {
        Object type = map.get("@type");
        if (type instanceof String s) {
            return types.contains(typeName(s));
        }
        if (type instanceof List<?> list) {
            for (Object t : list) {
                if (t instanceof String s && types.contains(typeName(s))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code "https://schema.org/ImageObject"} and {@code "schema:ImageObject"} name the type as {@code "ImageObject"} does. */
    private static String typeName(String type) {
        int cut = Math.max(type.lastIndexOf('/'), Math.max(type.lastIndexOf(':'), type.lastIndexOf('#')));
        return type.substring(cut + 1).toLowerCase(Locale.ROOT);
    }

    /** The object's own value of {@code key}, else its owner's. */
    private static String text(Map<?, ?> object, Map<?, ?> owner, String key) {
        String own = Urls.blankToNull(first(object.get(key)));
        return own != null || owner == null ? own : Urls.blankToNull(first(owner.get(key)));
    }

    /** A string, a language value {@code {"@value": ...}}, or the first of an array of them. */
    private static String first(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map && map.get("@value") instanceof String s) {
            return s;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                String s = first(item);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** A name, a Person or Organization with a name, or an array of either, joined with commas. */
    private static String creator(Object value) {
        List<String> names = new ArrayList<>();
        collectNames(value, names, 0);
        return names.isEmpty() ? null : String.join(", ", names);
    }

    private static void collectNames(Object value, List<String> out, int depth) {
        if (depth > 2) {
            return;
        }
        if (value instanceof String s && Urls.blankToNull(s) != null) {
            out.add(s.strip());
        } else if (value instanceof Map<?, ?> map) {
            String name = Urls.blankToNull(first(map.get("name")));
            if (name != null) {
                out.add(name);
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                collectNames(item, out, depth + 1);
            }
        }
    }
}
