package org.opensearch.cliphybrid.provenance;

import org.opensearch.Version;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Map;

/** The stamps in a mapping's _meta: read back, merged without losing other keys, and a query of another model refused. */
public class VectorModelsTests extends OpenSearchTestCase {
    private static final VectorModel MINI = new VectorModel("mini-clip", "a".repeat(64));
    private static final VectorModel B32 = new VectorModel("vit-b32", "b".repeat(64));

    private static IndexMetadata index(String name, String mapping) throws IOException {
        return IndexMetadata.builder(name)
            .settings(Settings.builder().put(IndexMetadata.SETTING_VERSION_CREATED, Version.CURRENT))
            .numberOfShards(1)
            .numberOfReplicas(0)
            .putMapping(mapping)
            .build();
    }

    public void testStampIsMergedIntoWhatMetaHolds() throws IOException {
        IndexMetadata plain = index("i", "{\"_meta\": {\"owner\": \"team-a\"}, \"properties\": {}}");
        assertNull(VectorModels.stamped(plain, "image_vector"));
        Map<String, Object> meta = VectorModels.withStamp(plain, "image_vector", MINI);
        assertEquals("team-a", meta.get("owner"));
        assertEquals(Map.of("image_vector", MINI.toMap()), meta.get(VectorModels.META_KEY));

        IndexMetadata stamped = index("i", "{\"_meta\": {\"owner\": \"team-a\", \"clip_models\": {\"image_vector\": {\"model\": \"mini-clip\","
            + " \"sha256\": \"" + MINI.sha256() + "\"}}}, \"properties\": {}}");
        assertEquals(MINI, VectorModels.stamped(stamped, "image_vector"));
        assertNull(VectorModels.stamped(stamped, "other_vector"));
        Map<String, Object> both = VectorModels.withStamp(stamped, "other_vector", B32);
        assertEquals(Map.of("image_vector", MINI.toMap(), "other_vector", B32.toMap()), both.get(VectorModels.META_KEY));
    }

    public void testAQueryOfAnotherModelIsRefusedNamingBoth() throws IOException {
        IndexMetadata stamped = index("photos", "{\"_meta\": {\"clip_models\": {\"image_vector\": {\"model\": \"mini-clip\", \"sha256\": \""
            + MINI.sha256() + "\"}}}, \"properties\": {}}");
        IndexMetadata unstamped = index("old", "{\"properties\": {}}");
        ClusterState state = ClusterState.builder(new ClusterName("c")).metadata(Metadata.builder().put(stamped, false).put(unstamped, false)).build();
        VectorModels.checkQuery(state, new String[] { "photos", "old" }, "image_vector", MINI, "[q]");
        VectorModels.checkQuery(state, new String[] { "old" }, "image_vector", B32, "[q]");
        // the same files under another name make the same vectors
        VectorModels.checkQuery(state, new String[] { "photos" }, "image_vector", new VectorModel("renamed", MINI.sha256()), "[q]");
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> VectorModels.checkQuery(state, new String[] { "old", "photos" }, "image_vector", B32, "[q]")
        );
        assertEquals(
            "[q] [image_vector] of index [photos] holds vectors of model [mini-clip] (sha256 aaaaaaaaaaaa…), but the query was encoded"
                + " by model [vit-b32] (sha256 bbbbbbbbbbbb…): vectors of two models cannot be compared. Query with \"model\":"
                + " \"mini-clip\", or re-embed the index with this model",
            e.getMessage()
        );
    }
}
