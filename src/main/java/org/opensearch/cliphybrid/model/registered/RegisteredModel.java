package org.opensearch.cliphybrid.model.registered;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata document of one registered model: {@code uploading} from {@code _register} until {@code _register/_complete}
 * has checked the zip, then {@code registered} with what the check found.
 */
public record RegisteredModel(
    String name,
    String state,
    long createdMillis,
    int chunks,
    long zipBytes,
    String zipSha256,
    long inflatedBytes,
    String family,
    List<ModelZip.FileEntry> files
) {
    public static final String UPLOADING = "uploading", REGISTERED = "registered";

    public static RegisteredModel uploading(String name, long now) {
        return new RegisteredModel(name, UPLOADING, now, 0, 0, null, 0, null, List.of());
    }

    public boolean complete() {
        return REGISTERED.equals(state);
    }

    /** The cache folder's name on a node: a new upload under the same name gets a folder of its own. */
    public String cacheFolder() {
        return name + "-" + zipSha256.substring(0, 16);
    }

    public Map<String, Object> toSource() {
        Map<String, Object> source = new HashMap<>();
        source.put("type", "model");
        source.put("name", name);
        source.put("state", state);
        source.put("created_millis", createdMillis);
        source.put("chunks", chunks);
        source.put("zip_bytes", zipBytes);
        source.put("inflated_bytes", inflatedBytes);
        if (zipSha256 != null) {
            source.put("zip_sha256", zipSha256);
        }
        if (family != null) {
            source.put("family", family);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (ModelZip.FileEntry f : files) {
            list.add(Map.of("path", f.path(), "size", f.size(), "sha256", f.sha256()));
        }
        source.put("files", list);
        return source;
    }

    @SuppressWarnings("unchecked")
    public static RegisteredModel fromSource(Map<String, Object> source) {
        List<ModelZip.FileEntry> files = new ArrayList<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) source.getOrDefault("files", List.of())) {
            files.add(new ModelZip.FileEntry((String) f.get("path"), ((Number) f.get("size")).longValue(), (String) f.get("sha256")));
        }
        return new RegisteredModel(
            (String) source.get("name"),
            (String) source.get("state"),
            ((Number) source.get("created_millis")).longValue(),
            ((Number) source.getOrDefault("chunks", 0)).intValue(),
            ((Number) source.getOrDefault("zip_bytes", 0)).longValue(),
            (String) source.get("zip_sha256"),
            ((Number) source.getOrDefault("inflated_bytes", 0)).longValue(),
            (String) source.get("family"),
            List.copyOf(files)
        );
    }
}
