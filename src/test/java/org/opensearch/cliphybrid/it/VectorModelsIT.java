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
 * another model encodes, even one of the same dimension. The IT cluster serves mini-clip-int8 (mini-clip's int8 towers as
 * a model of their own) beside mini-clip (pom.xml).
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
        ClusterClient.Response models = cluster.get("/_plugins/clip/models");
        Map<String, Object> mini = models.<List<Map<String, Object>>>path("models")
            .stream()
            .filter(m -> "mini-clip-flickr8k".equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(models.raw()));
        assertTrue(models.raw(), ((List<?>) mini.get("vector_fields")).contains(Map.of("index", INDEX, "field", "image_vector")));

        // the same model's query passes; another model's of the same dimension (mini-clip's int8 towers) is a 400 naming both
        ClusterClient.Response same = cluster.post("/" + INDEX + "/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": \"a dog\","
            + " \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
        assertEquals(same.raw(), 200, same.status());
        ClusterClient.Response other = cluster.post("/" + INDEX + "/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": \"a dog\","
            + " \"model\": \"mini-clip-int8\", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
        assertEquals(other.raw(), 400, other.status());
        assertTrue(other.raw(), other.raw().contains("[clip_hybrid] [vector_field] [image_vector] of index [" + INDEX
            + "] holds vectors of model [mini-clip-flickr8k]"));
        assertTrue(other.raw(), other.raw().contains("but the query was encoded by model [mini-clip-int8]"));

        // a pipeline of another model into the same field fails that document with the reason, and the stamp stays
        ClusterClient.Response pipeline = cluster.put("/_ingest/pipeline/vector-models-int8", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "model": "mini-clip-int8"}}]}""");
        assertEquals(pipeline.raw(), 200, pipeline.status());
        ClusterClient.Response mixed = cluster.put("/" + INDEX + "/_doc/mixed?pipeline=vector-models-int8", "{\"image\": \"" + DOG + "\"}");
        assertEquals(mixed.raw(), 400, mixed.status());
        assertTrue(mixed.raw(), mixed.raw().contains("target_field [image_vector] of index [" + INDEX + "] holds vectors of model"
            + " [mini-clip-flickr8k]"));
        assertEquals("mini-clip-flickr8k", stamp().get("model"));
    }

    /** README's "Changing the model": a new index whose default pipeline has the new model, _reindex as a task, an alias moved. */
    @Test
    @SuppressWarnings("unchecked")
    public void reindexIntoANewModelsIndexAndMoveTheAlias() throws Exception {
        String from = "clip-images-vector-models-from", to = "vector-models-int8-to";
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + from);
        cluster.delete("/" + to);
        StringBuilder bulk = new StringBuilder();
        for (String image : List.of(DOG, "2862004252_53894bb28b.jpg", "3385593926_d3e9c21170.jpg")) {
            bulk.append("{\"index\": {\"_index\": \"").append(from).append("\", \"_id\": \"").append(image).append("\"}}\n");
            bulk.append("{\"image\": \"").append(image).append("\", \"title\": \"a photo\"}\n");
        }
        ClusterClient.Response loaded = cluster.post("/_bulk?refresh=true", bulk.toString());
        assertEquals(loaded.raw(), Boolean.FALSE, loaded.path("errors"));
        assertEquals(200, cluster.put("/" + from + "/_alias/photos-it", null).status());

        ClusterClient.Response pipeline = cluster.put("/_ingest/pipeline/vector-models-int8", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "model": "mini-clip-int8"}}]}""");
        assertEquals(pipeline.raw(), 200, pipeline.status());
        ClusterClient.Response created = cluster.put("/" + to, """
            {"settings": {"index.knn": true, "index.default_pipeline": "vector-models-int8", "number_of_replicas": 0},
             "mappings": {"properties": {"image": {"type": "keyword"}, "title": {"type": "text"},
               "image_vector": {"type": "knn_vector", "dimension": 256, "space_type": "cosinesimil", "method": {"name": "hnsw", "engine": "lucene"}}}}}""");
        assertEquals(created.raw(), 200, created.status());
        ClusterClient.Response started = cluster.post("/_reindex?wait_for_completion=false&refresh=true", "{\"source\": {\"index\": \"" + from
            + "\", \"_source\": {\"excludes\": [\"image_vector\"]}}, \"dest\": {\"index\": \"" + to + "\"}}");
        assertEquals(started.raw(), 200, started.status());
        String task = started.path("task");
        Map<String, Object> status = null;
        for (int i = 0; i < 600; i++) {
            ClusterClient.Response t = cluster.get("/_tasks/" + task);
            if (Boolean.TRUE.equals(t.path("completed"))) {
                status = t.path("response");
                break;
            }
            Thread.sleep(100);
        }
        assertTrue("the reindex task did not finish in 60 s", status != null);
        assertEquals(status.toString(), 3, ((Number) status.get("created")).intValue());
        assertEquals(status.toString(), List.of(), status.get("failures"));
        ClusterClient.Response aliases = cluster.post("/_aliases", "{\"actions\": [{\"remove\": {\"index\": \"" + from
            + "\", \"alias\": \"photos-it\"}}, {\"add\": {\"index\": \"" + to + "\", \"alias\": \"photos-it\"}}]}");
        assertEquals(aliases.raw(), 200, aliases.status());
        // through the alias, the new model's query works and finds the re-embedded pictures
        ClusterClient.Response found = cluster.post("/photos-it/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": \"a dog\","
            + " \"model\": \"mini-clip-int8\", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
        assertEquals(found.raw(), 200, found.status());
        assertEquals(found.raw(), 3, ((List<?>) found.path("hits.hits")).size());
        Map<String, Object> meta = null;
        for (int i = 0; i < 100; i++) {
            meta = cluster.get("/" + to + "/_mapping").path(to + ".mappings._meta");
            if (meta != null) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(String.valueOf(meta), "mini-clip-int8", ((Map<String, Object>) ((Map<String, Object>) meta.get("clip_models")).get("image_vector")).get("model"));
    }
}
