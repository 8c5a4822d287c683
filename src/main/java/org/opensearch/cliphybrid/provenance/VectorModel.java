package org.opensearch.cliphybrid.provenance;

import org.opensearch.cliphybrid.model.ClipModel;

import java.util.Map;

/**
 * Which model made a field's vectors: its name and the SHA-256 of its files. Two vectors compare only when the hashes agree;
 * the name is there for people.
 */
public record VectorModel(String name, String sha256) {
    static final String NAME = "model", SHA256 = "sha256";

    public static VectorModel of(ClipModel model) {
        return new VectorModel(model.name(), model.fingerprint());
    }

    /** A stamp as the mapping's {@code _meta} holds it; null when it is not one. */
    static VectorModel fromMap(Object value) {
        if (value instanceof Map<?, ?> map && map.get(NAME) instanceof String name && map.get(SHA256) instanceof String sha) {
            return new VectorModel(name, sha);
        }
        return null;
    }

    Map<String, Object> toMap() {
        return Map.of(NAME, name, SHA256, sha256);
    }

    public boolean sameVectors(VectorModel other) {
        return sha256.equals(other.sha256);
    }

    /** For messages: the name and the start of the hash, enough to tell two exports apart. */
    public String describe() {
        return "[" + name + "] (sha256 " + sha256.substring(0, Math.min(12, sha256.length())) + "…)";
    }
}
