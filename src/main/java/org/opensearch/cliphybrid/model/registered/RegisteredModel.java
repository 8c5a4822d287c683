package org.opensearch.cliphybrid.model.registered;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A registered model's metadata document ({@link ModelChunks#register}), read back by the nodes that load or list it. */
public record RegisteredModel(
    String name,
    String family,
    int chunks,
    long zipBytes,
    String zipSha256,
    long bytes,
    long createdMillis,
    List<ModelZip.FileEntry> files
) {
    /** The cache folder's name on a node: a model registered anew under the same name gets a folder of its own. */
    public String cacheFolder() {
        return name + "-" + zipSha256.substring(0, 16);
    }

    @SuppressWarnings("unchecked")
    public static RegisteredModel fromSource(Map<String, Object> source) {
        List<ModelZip.FileEntry> files = new ArrayList<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) source.getOrDefault("files", List.of())) {
            files.add(new ModelZip.FileEntry((String) f.get("path"), ((Number) f.get("size")).longValue(), (String) f.get("sha256")));
        }
        return new RegisteredModel(
            (String) source.get("name"),
            (String) source.get("family"),
            ((Number) source.get("chunks")).intValue(),
            ((Number) source.get("zip_bytes")).longValue(),
            (String) source.get("zip_sha256"),
            ((Number) source.get("bytes")).longValue(),
            ((Number) source.get("created_millis")).longValue(),
            List.copyOf(files)
        );
    }
}
