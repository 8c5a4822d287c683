package org.opensearch.cliphybrid.provenance;

import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.metadata.Metadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stamps in an index mapping's {@code _meta}: {@code {"clip_models": {"<vector field>": {"model": ..., "sha256": ...}}}},
 * written by {@code clip_embedding} ({@link VectorModelStamper}) and read by it and by {@code clip_hybrid}. The mapping is
 * where a user looks ({@code GET <index>/_mapping}) and it travels with the index through snapshots and reindexing of the
 * mapping; the cluster state every node holds answers a look-up without a request.
 */
public final class VectorModels {
    public static final String META_KEY = "clip_models";

    private VectorModels() {}

    /** The model that made {@code field}'s vectors in {@code index}, or null when no stamp says. */
    public static VectorModel stamped(IndexMetadata index, String field) {
        Map<String, Object> fields = stamps(index);
        return fields == null ? null : VectorModel.fromMap(fields.get(field));
    }

    public static VectorModel stamped(ClusterState state, String index, String field) {
        IndexMetadata metadata = state.metadata().index(index);
        return metadata == null ? null : stamped(metadata, field);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stamps(IndexMetadata index) {
        Map<String, Object> meta = meta(index);
        return meta != null && meta.get(META_KEY) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> meta(IndexMetadata index) {
        MappingMetadata mapping = index.mapping();
        Object meta = mapping == null ? null : mapping.sourceAsMap().get("_meta");
        return meta instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** The index's whole {@code _meta} with {@code field}'s stamp set: a put-mapping replaces {@code _meta} as a whole. */
    static Map<String, Object> withStamp(IndexMetadata index, String field, VectorModel model) {
        Map<String, Object> meta = meta(index);
        Map<String, Object> out = meta == null ? new HashMap<>() : new HashMap<>(meta);
        Map<String, Object> fields = stamps(index);
        Map<String, Object> stamps = fields == null ? new HashMap<>() : new HashMap<>(fields);
        stamps.put(field, model.toMap());
        out.put(META_KEY, stamps);
        return out;
    }

    /** One field's record: the index, the vector field, the model. */
    public record Stamp(String index, String field, VectorModel model) {}

    /** Every record in the cluster, index by index. */
    public static List<Stamp> all(Metadata metadata) {
        List<Stamp> out = new ArrayList<>();
        for (IndexMetadata index : metadata.indices().values()) {
            Map<String, Object> fields = stamps(index);
            if (fields == null) {
                continue;
            }
            for (Map.Entry<String, Object> e : new TreeMap<>(fields).entrySet()) {
                VectorModel model = VectorModel.fromMap(e.getValue());
                if (model != null) {
                    out.add(new Stamp(index.getIndex().getName(), e.getKey(), model));
                }
            }
        }
        out.sort(Comparator.comparing(Stamp::index).thenComparing(Stamp::field));
        return out;
    }

    /**
     * Refuses a query vector made by another model than the one that made the field's vectors in any of {@code indices}: a
     * search would answer, and its answers would mean nothing.
     */
    public static void checkQuery(ClusterState state, String[] indices, String field, VectorModel query, String what) {
        for (String index : indices) {
            VectorModel stamped = stamped(state, index, field);
            if (stamped != null && stamped.sameVectors(query) == false) {
                throw new IllegalArgumentException(
                    what + " [" + field + "] of index [" + index + "] holds vectors of model " + stamped.describe()
                        + ", but the query was encoded by model " + query.describe() + ": vectors of two models cannot be compared."
                        + " Query with \"model\": \"" + stamped.name() + "\", or re-embed the index with this model"
                );
            }
        }
    }
}
