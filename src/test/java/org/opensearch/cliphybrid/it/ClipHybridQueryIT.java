package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The clip_hybrid query on a real node: fusion, proper nouns, filters, paging, explain and the errors users see. */
public class ClipHybridQueryIT {
    private static final String INDEX = "clip-images-it-query";
    private static final String BOAT = "211295363_49010ca38d.jpg";
    private static final ClusterClient cluster = new ClusterClient();

    @BeforeClass
    public static void indexImages() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        List<String> files = new ArrayList<>(Files.readAllLines(SharedFixtures.flickrDir().resolve("test_images.txt")).subList(0, 60));
        files.remove(BOAT);
        files.add(BOAT);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            String group = i % 2 == 0 ? "even" : "odd";
            String title = file.equals(BOAT) ? ",\"title\":\"The Zorblax regatta\"" : "";
            bulk.append("{\"index\":{\"_id\":\"").append(file).append("\"}}\n");
            bulk.append("{\"image\":\"").append(file).append("\",\"file\":\"").append(file).append("\",\"tags\":\"").append(group)
                .append('"').append(title).append("}\n");
        }
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true", bulk.toString());
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
    }

    @AfterClass
    public static void dropIndex() throws IOException {
        cluster.delete("/" + INDEX);
    }

    private static ClusterClient.Response search(String body) throws IOException {
        return cluster.post("/" + INDEX + "/_search", body);
    }

    @Test
    public void aNameOnlyTheMetadataKnowsComesFirst() throws IOException {
        ClusterClient.Response r = search("""
            {"size": 3, "query": {"clip_hybrid": {"query_text": "Zorblax", "vector_field": "image_vector", "text_fields": ["title^2", "tags"]}}}""");
        assertEquals(r.raw(), 200, r.status());
        assertEquals(r.raw(), BOAT, r.path("hits.hits.0._id"));
    }

    @Test
    public void everyDocumentIsReachableThroughTheVectorSide() throws IOException {
        ClusterClient.Response r = search("""
            {"size": 100, "query": {"clip_hybrid": {"query_text": "a photo", "vector_field": "image_vector", "k": 60}}}""");
        assertEquals(r.raw(), 60, ((List<?>) r.path("hits.hits")).size());
    }

    @Test
    public void filterRestrictsBothSidesAndStillFillsK() throws IOException {
        ClusterClient.Response r = search("""
            {"size": 100, "query": {"clip_hybrid": {"query_text": "Zorblax dog", "vector_field": "image_vector", "text_fields": ["title", "tags"],
              "k": 20, "filter": {"term": {"tags.raw": "odd"}}}}}""");
        assertEquals(r.raw(), 200, r.status());
        List<Map<String, Object>> hits = r.path("hits.hits");
        assertEquals("k matching documents come back when k exist", 20, hits.size());
        for (Map<String, Object> hit : hits) {
            assertEquals(hit.toString(), "odd", ((Map<?, ?>) hit.get("_source")).get("tags"));
        }
    }

    @Test
    public void pagesAreSlicesOfOneRanking() throws IOException {
        String query = "\"query\": {\"clip_hybrid\": {\"query_text\": \"two dogs play in the snow\", \"vector_field\": \"image_vector\","
            + " \"text_fields\": [\"title\"]}}";
        List<Map<String, Object>> all = search("{\"size\": 10, " + query + "}").path("hits.hits");
        List<Map<String, Object>> page2 = search("{\"from\": 5, \"size\": 5, " + query + "}").path("hits.hits");
        for (int i = 0; i < 5; i++) {
            assertEquals(all.get(5 + i).get("_id"), page2.get(i).get("_id"));
            assertEquals(all.get(5 + i).get("_score"), page2.get(i).get("_score"));
        }
    }

    @Test
    public void aGivenVectorSkipsTheEncoder() throws IOException {
        List<?> boatVector = cluster.get("/" + INDEX + "/_doc/" + BOAT).path("_source.image_vector");
        ClusterClient.Response r = search("{\"size\": 1, \"query\": {\"clip_hybrid\": {\"query_vector\": " + boatVector
            + ", \"vector_field\": \"image_vector\"}}}");
        assertEquals(r.raw(), BOAT, r.path("hits.hits.0._id"));
    }

    @Test
    public void explainShowsRanksOfBothSides() throws IOException {
        ClusterClient.Response r = search("""
            {"size": 1, "explain": true, "query": {"clip_hybrid": {"query_text": "Zorblax", "vector_field": "image_vector", "text_fields": ["title"]}}}""");
        String explanation = r.raw();
        assertTrue(explanation, explanation.contains("reciprocal rank fusion"));
        assertTrue(explanation, explanation.contains("text: rank 1"));
        assertTrue(explanation, explanation.contains("vector: rank"));
    }

    @Test
    public void composesInsideBool() throws IOException {
        ClusterClient.Response r = search("""
            {"size": 5, "query": {"bool": {"must": [{"clip_hybrid": {"query_text": "Zorblax", "vector_field": "image_vector",
             "text_fields": ["title"]}}], "filter": [{"term": {"tags.raw": "even"}}]}}}""");
        assertEquals(r.raw(), 200, r.status());
        for (Map<String, Object> hit : r.<List<Map<String, Object>>>path("hits.hits")) {
            assertEquals("even", ((Map<?, ?>) hit.get("_source")).get("tags"));
        }
    }

    @Test
    public void badRequestsNameWhatIsWrong() throws IOException {
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_text\": \"dog\", \"vector_field\": \"nope\"}}}", "[nope] does not exist");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_text\": \"dog\", \"vector_field\": \"title\"}}}", "not [knn_vector]");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_text\": \"  \", \"vector_field\": \"image_vector\"}}}", "query_text");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"vector_field\": \"image_vector\"}}}", "query_text");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_text\": \"dog\"}}}", "vector_field");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_text\": \"dog\", \"vector_field\": \"image_vector\", \"colour\": 1}}}",
            "unknown field [colour]");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_text\": \"dog\", \"vector_field\": \"image_vector\", \"model\": \"nope\"}}}",
            "unknown CLIP model [nope]");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_vector\": [0.1, 0.2], \"vector_field\": \"image_vector\"}}}",
            "2 dimensions");
    }

    private static void assertBadRequest(String body, String fragment) throws IOException {
        ClusterClient.Response r = search(body);
        assertEquals(r.raw(), 400, r.status());
        assertTrue("[" + fragment + "] not in " + r.raw(), r.raw().contains(fragment));
    }
}
