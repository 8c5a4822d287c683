package org.opensearch.cliphybrid.model.settings;

import java.util.Locale;

/** Where an effective per-model value came from, in the order they take precedence. */
public enum Source {
    /** A {@code plugins.clip.models.<model>.*} setting. */
    SETTING,
    /** The model folder's own {@code clip_hybrid.json}, config or combined graph. */
    FOLDER,
    /** The node-wide default ({@code plugins.clip.hybrid.*}, CLIP's softmax at 100, no template). */
    DEFAULT;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
