package org.opensearch.cliphybrid.query;

import org.opensearch.Version;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.index.mapper.ContentPath;
import org.opensearch.index.mapper.KeywordFieldMapper;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Map;

/** The dimension read from a field's own mapping, which is all an empty shard can tell. */
public class MappedDimensionTests extends OpenSearchTestCase {
    private static Object field(String mappingJson) {
        return XContentHelper.convertToMap(JsonXContent.jsonXContent, mappingJson, false).get("image_vector");
    }

    public void testTheDimensionOfAKnnVectorMapping() {
        assertEquals(3, MappedDimension.fromMapping(field("""
            {"image_vector": {"type": "knn_vector", "dimension": 3, "space_type": "cosinesimil",
              "method": {"name": "hnsw", "engine": "lucene", "parameters": {"m": 16, "ef_construction": 128}}}}""")));
        assertEquals(16_000, MappedDimension.fromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"dimension\": 16000}}")));
    }

    public void testAMappingWithoutADimensionLeavesItToTheSegments() {
        assertEquals(MappedDimension.UNKNOWN, MappedDimension.fromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"model_id\": \"m\"}}")));
        assertEquals(MappedDimension.UNKNOWN, MappedDimension.fromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"dimension\": \"3\"}}")));
        assertEquals(MappedDimension.UNKNOWN, MappedDimension.fromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"dimension\": 0}}")));
        assertEquals(MappedDimension.UNKNOWN, MappedDimension.fromMapping(field("{\"other\": {\"type\": \"knn_vector\", \"dimension\": 3}}")));
        assertEquals(MappedDimension.UNKNOWN, MappedDimension.fromMapping("knn_vector"));
        assertEquals(MappedDimension.UNKNOWN, MappedDimension.fromMapping(Map.of("properties", Map.of("dimension", 3))));
    }

    public void testAFieldMapperIsReadThroughItsOwnMapping() throws IOException {
        Settings settings = Settings.builder().put(IndexMetadata.SETTING_VERSION_CREATED, Version.CURRENT).build();
        Mapper keyword = new KeywordFieldMapper.Builder("dimension").build(new Mapper.BuilderContext(settings, new ContentPath(1)));
        assertEquals(MappedDimension.UNKNOWN, MappedDimension.of(keyword));
    }
}
