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

/** The dimension and quantization read from a field's own mapping, which is all an empty shard can tell. */
public class MappedVectorFieldTests extends OpenSearchTestCase {
    private static Object field(String mappingJson) {
        return XContentHelper.convertToMap(JsonXContent.jsonXContent, mappingJson, false).get("image_vector");
    }

    public void testTheDimensionOfAKnnVectorMapping() {
        assertEquals(3, MappedVectorField.dimensionFromMapping(field("""
            {"image_vector": {"type": "knn_vector", "dimension": 3, "space_type": "cosinesimil",
              "method": {"name": "hnsw", "engine": "lucene", "parameters": {"m": 16, "ef_construction": 128}}}}""")));
        assertEquals(16_000, MappedVectorField.dimensionFromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"dimension\": 16000}}")));
    }

    public void testAMappingWithoutADimensionLeavesItToTheSegments() {
        assertEquals(MappedVectorField.UNKNOWN, MappedVectorField.dimensionFromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"model_id\": \"m\"}}")));
        assertEquals(MappedVectorField.UNKNOWN, MappedVectorField.dimensionFromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"dimension\": \"3\"}}")));
        assertEquals(MappedVectorField.UNKNOWN, MappedVectorField.dimensionFromMapping(field("{\"image_vector\": {\"type\": \"knn_vector\", \"dimension\": 0}}")));
        assertEquals(MappedVectorField.UNKNOWN, MappedVectorField.dimensionFromMapping(field("{\"other\": {\"type\": \"knn_vector\", \"dimension\": 3}}")));
        assertEquals(MappedVectorField.UNKNOWN, MappedVectorField.dimensionFromMapping("knn_vector"));
        assertEquals(MappedVectorField.UNKNOWN, MappedVectorField.dimensionFromMapping(Map.of("properties", Map.of("dimension", 3))));
    }

    public void testQuantizationAsTheLuceneEngineReadsIt() {
        assertEquals(32, MappedVectorField.bitsFromMapping(field("""
            {"image_vector": {"type": "knn_vector", "dimension": 3, "method": {"name": "hnsw", "engine": "lucene"}}}""")));
        assertEquals(1, MappedVectorField.bitsFromMapping(field("""
            {"image_vector": {"type": "knn_vector", "dimension": 3, "method": {"name": "hnsw", "engine": "lucene",
              "parameters": {"m": 16, "encoder": {"name": "sq", "parameters": {"bits": 1}}}}}}""")));
        assertEquals(7, MappedVectorField.bitsFromMapping(field("""
            {"image_vector": {"type": "knn_vector", "dimension": 3, "method": {"name": "hnsw", "engine": "lucene",
              "parameters": {"encoder": {"name": "sq"}}}}}""")));
        assertEquals(1, MappedVectorField.bitsFromMapping(field("""
            {"image_vector": {"type": "knn_vector", "dimension": 3, "mode": "on_disk", "compression_level": "32x"}}""")));
        assertEquals(32, MappedVectorField.bitsFromMapping("knn_vector"));
    }

    public void testAFieldMapperIsReadThroughItsOwnMapping() throws IOException {
        Settings settings = Settings.builder().put(IndexMetadata.SETTING_VERSION_CREATED, Version.CURRENT).build();
        Mapper keyword = new KeywordFieldMapper.Builder("dimension").build(new Mapper.BuilderContext(settings, new ContentPath(1)));
        assertEquals(MappedVectorField.UNKNOWN, MappedVectorField.dimension(keyword));
    }
}
