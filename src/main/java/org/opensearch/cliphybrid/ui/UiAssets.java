package org.opensearch.cliphybrid.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The search page's files, packed in the plugin jar. Only the names listed here are served: a request names a key of this
 * map, never a path, so nothing else in the jar or on disk can be reached through it.
 */
public final class UiAssets {
    public record Asset(String name, String contentType, byte[] bytes) {}

    static final String INDEX = "index.html";
    private static final Map<String, String> TYPES = Map.of(
        INDEX,
        "text/html; charset=UTF-8",
        "app.js",
        "text/javascript; charset=UTF-8",
        "app.css",
        "text/css; charset=UTF-8",
        "favicon.svg",
        "image/svg+xml"
    );

    private final Map<String, Asset> assets;

    private UiAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** Reads every asset once, at node start, so that a broken jar fails loudly then rather than on the first page view. */
    public static UiAssets load() {
        Map<String, Asset> loaded = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> loaded.put(name, new Asset(name, type, read(name))));
        return new UiAssets(Map.copyOf(loaded));
    }

    private static byte[] read(String name) {
        try (InputStream in = UiAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("search page asset [" + name + "] is missing from the plugin jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The asset of that name, or null; {@code null} or an empty name means the page itself. */
    public Asset get(String name) {
        return assets.get(name == null || name.isEmpty() ? INDEX : name);
    }
}
