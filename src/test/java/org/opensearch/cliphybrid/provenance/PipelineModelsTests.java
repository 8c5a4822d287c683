package org.opensearch.cliphybrid.provenance;

import org.opensearch.Version;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.ingest.IngestMetadata;
import org.opensearch.ingest.PipelineConfiguration;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;
import java.util.Map;

/** Which pipelines run which model, read from the pipeline definitions, with the indices that run them by default. */
public class PipelineModelsTests extends OpenSearchTestCase {
    private static PipelineConfiguration pipeline(String id, String json) {
        return new PipelineConfiguration(id, new BytesArray(json), MediaTypeRegistry.JSON);
    }

    private static IndexMetadata index(String name, String setting, String pipeline) {
        Settings.Builder settings = Settings.builder().put(IndexMetadata.SETTING_VERSION_CREATED, Version.CURRENT);
        if (setting != null) {
            settings.put(setting, pipeline);
        }
        return IndexMetadata.builder(name).settings(settings).numberOfShards(1).numberOfReplicas(0).build();
    }

    public void testModelsByPipelineWithTheirIndices() {
        IngestMetadata ingest = new IngestMetadata(
            Map.of(
                "photos",
                pipeline("photos", "{\"processors\": [{\"clip_embedding\": {\"field\": \"image\", \"target_field\": \"v\", \"model\": \"b32\"}}]}"),
                "defaulted",
                pipeline("defaulted", "{\"processors\": [{\"set\": {\"field\": \"a\", \"value\": 1}},"
                    + " {\"clip_embedding\": {\"field\": \"image\", \"target_field\": \"v\"}}]}"),
                "nested",
                pipeline("nested", "{\"processors\": [{\"foreach\": {\"field\": \"images\", \"processor\":"
                    + " {\"clip_zero_shot\": {\"field\": \"v\", \"target_field\": \"l\", \"labels\": [\"dog\"], \"model\": \"siglip\"}}}}],"
                    + " \"on_failure\": [{\"set\": {\"field\": \"e\", \"value\": 1, \"on_failure\": [{\"clip_embedding\":"
                    + " {\"field\": \"image\", \"target_field\": \"v\", \"model\": \"rescue\"}}]}}]}"),
                "outer",
                pipeline("outer", "{\"processors\": [{\"pipeline\": {\"name\": \"photos\"}}, {\"pipeline\": {\"name\": \"outer\"}}]}"),
                "plain",
                pipeline("plain", "{\"processors\": [{\"lowercase\": {\"field\": \"title\"}}]}")
            )
        );
        Metadata metadata = Metadata.builder()
            .putCustom(IngestMetadata.TYPE, ingest)
            .put(index("archive", "index.default_pipeline", "photos"), false)
            .put(index("live", "index.final_pipeline", "outer"), false)
            .put(index("other", null, null), false)
            .build();
        Map<String, List<PipelineModels.Use>> uses = PipelineModels.all(metadata, "mini");
        assertEquals(
            Map.of(
                "b32",
                List.of(new PipelineModels.Use("outer", List.of("live")), new PipelineModels.Use("photos", List.of("archive"))),
                "mini",
                List.of(new PipelineModels.Use("defaulted", List.of())),
                "siglip",
                List.of(new PipelineModels.Use("nested", List.of())),
                "rescue",
                List.of(new PipelineModels.Use("nested", List.of()))
            ),
            uses
        );
    }

    public void testNoPipelinesNoUses() {
        assertEquals(Map.of(), PipelineModels.all(Metadata.builder().build(), "mini"));
    }
}
