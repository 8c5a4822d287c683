package org.opensearch.cliphybrid.it;

import org.junit.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Vectors know their model: clip_embedding records in the index mapping's {@code _meta} which model (name and SHA-256 of its
 * files) made a field's vectors, a pipeline of another model is refused on that field, and so is a clip_hybrid query that
 * another model encodes. The IT cluster serves siglip-tiny beside mini-clip (pom.xml).
 */
public class VectorModelsIT {
    private static final String INDEX = "clip-images-vector-models-it";
    private static final String DOG = "1082379191_ec1e53f996.jpg";
    private final ClusterClient cluster = new ClusterClient();

    private String sha256Of(String model) throws IOException {
        ClusterClient.Response models = cluster.get("/_plugins/clip/models");
        return (String) models.<List<Map<String, Object>>>path("models")
            .stream()
            .filter(m -> model.equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(models.raw()))
            .get("sha256");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stamp() throws IOException {
        Map<String, Object> meta = cluster.get("/" + INDEX + "/_mapping").path(INDEX + ".mappings._meta");
        return meta == null ? null : (Map<String, Object>) ((Map<String, Object>) meta.getOrDefault("clip_models", Map.of())).get("image_vector");
    }

    @Test
    public void theMappingNamesTheModelAndOtherModelsAreRefused() throws Exception {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        // a new index: the bulk creates it after the processor ran, and the stamp follows once it exists
        ClusterClient.Response indexed = cluster.put("/" + INDEX + "/_doc/dog?pipeline=clip-images&refresh=true", "{\"image\": \"" + DOG + "\"}");
        assertEquals(indexed.raw(), 201, indexed.status());
        Map<String, Object> stamp = null;
        for (int i = 0; i < 100 && stamp == null; i++) {
            stamp = stamp();
            if (stamp == null) {
                Thread.sleep(100);
            }
        }
        assertEquals(String.valueOf(stamp), "mini-clip-flickr8k", stamp == null ? null : stamp.get("model"));
        assertEquals(sha256Of("mini-clip-flickr8k"), stamp.get("sha256"));

        // the same model's query passes; another model's is a 400 that names both
        ClusterClient.Response same = cluster.post("/" + INDEX + "/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": \"a dog\","
            + " \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
        assertEquals(same.raw(), 200, same.status());
        ClusterClient.Response other = cluster.post("/" + INDEX + "/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": \"a dog\","
            + " \"model\": \"siglip-tiny\", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
        assertEquals(other.raw(), 400, other.status());
        assertTrue(other.raw(), other.raw().contains("[clip_hybrid] [vector_field] [image_vector] of index [" + INDEX
            + "] holds vectors of model [mini-clip-flickr8k]"));
        assertTrue(other.raw(), other.raw().contains("but the query was encoded by model [siglip-tiny]"));

        // a pipeline of another model into the same field fails that document with the reason, and the stamp stays
        ClusterClient.Response pipeline = cluster.put("/_ingest/pipeline/vector-models-siglip", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "model": "siglip-tiny"}}]}""");
        assertEquals(pipeline.raw(), 200, pipeline.status());
        ClusterClient.Response mixed = cluster.put("/" + INDEX + "/_doc/mixed?pipeline=vector-models-siglip", "{\"image\": \"" + DOG + "\"}");
        assertEquals(mixed.raw(), 400, mixed.status());
        assertTrue(mixed.raw(), mixed.raw().contains("target_field [image_vector] of index [" + INDEX + "] holds vectors of model"
            + " [mini-clip-flickr8k]"));
        assertEquals("mini-clip-flickr8k", stamp().get("model"));
    }
}
