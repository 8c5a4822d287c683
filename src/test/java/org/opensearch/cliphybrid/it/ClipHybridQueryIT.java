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
import static org.junit.Assert.assertFalse;
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
        // the 20 nearest odd images, and in composable mode also the odd text match
        assertTrue("k matching documents come back when k exist: " + hits.size(), hits.size() >= 20);
        for (Map<String, Object> hit : hits) {
            assertEquals(hit.toString(), "odd", ((Map<?, ?>) hit.get("_source")).get("tags"));
        }
    }

    @Test
    public void pagesAreSlicesOfOneRanking() throws IOException {
        String query = "\"query\": {\"clip_hybrid\": {\"query_text\": \"two dogs play in the snow\", \"vector_field\": \"image_vector\","
            + " \"text_fields\": [\"title\"]}}";
        // every hit counted, so nothing skipped: the reference ranking
        List<Map<String, Object>> all = search("{\"size\": 10, \"track_total_hits\": true, " + query + "}").path("hits.hits");
        // no count: the shards skip what cannot reach the page from the first hit on
        List<Map<String, Object>> page1 = search("{\"size\": 5, \"track_total_hits\": false, " + query + "}").path("hits.hits");
        List<Map<String, Object>> page2 = search("{\"from\": 5, \"size\": 5, \"track_total_hits\": false, " + query + "}").path("hits.hits");
        SameHits.assertSameHits(all.subList(0, 5), page1);
        SameHits.assertSameHits(all.subList(5, 10), page2);
    }

    @Test
    public void aGivenVectorSkipsTheEncoder() throws IOException {
        List<?> boatVector = cluster.get("/" + INDEX + "/_doc/" + BOAT).path("_source.image_vector");
        ClusterClient.Response r = search("{\"size\": 1, \"query\": {\"clip_hybrid\": {\"query_vector\": " + boatVector
            + ", \"vector_field\": \"image_vector\"}}}");
        assertEquals(r.raw(), BOAT, r.path("hits.hits.0._id"));
    }

    @Test
    public void explainShowsEachSidesScoresInEveryMode() throws IOException {
        String calibrated = search("""
            {"size": 1, "explain": true, "query": {"clip_hybrid": {"query_text": "Zorblax", "vector_field": "image_vector", "text_fields": ["title"]}}}""").raw();
        assertTrue(calibrated, calibrated.contains("clip_hybrid calibrated"));
        assertTrue(calibrated, calibrated.contains("vector: cosine"));
        assertTrue(calibrated, calibrated.contains("text: bm25"));
        assertTrue(calibrated, calibrated.contains("found by"));
        String rrf = search("""
            {"size": 1, "explain": true, "query": {"clip_hybrid": {"query_text": "Zorblax", "vector_field": "image_vector", "text_fields": ["title"],
             "fusion": "rrf"}}}""").raw();
        assertTrue(rrf, rrf.contains("clip_hybrid rrf"));
        assertTrue(rrf, rrf.contains("text: rank 1, raw score"));
        assertTrue(rrf, rrf.contains("vector: "));
        String linear = search("""
            {"size": 1, "explain": true, "query": {"clip_hybrid": {"query_text": "Zorblax", "vector_field": "image_vector", "text_fields": ["title"],
             "fusion": "linear", "normalization": "l2", "weights": {"vector": 1, "text": 3}}}}""").raw();
        assertTrue(linear, linear.contains("l2 normalized"));
        // the name made the text weight three times the requested 3
        assertTrue(linear, linear.contains("weight 9.0"));
        assertTrue(linear, linear.contains("proper nouns [zorblax]"));
    }

    // the widest cosine band: no score is clamped, so no two hits tie and every ordering below is the same ranking
    private static final String HYBRID = "{\"clip_hybrid\": {\"query_text\": \"a boat on the water\", \"vector_field\": \"image_vector\","
        + " \"text_fields\": [\"title\", \"tags\"], \"k\": 30, \"vector_calibration\": {\"cosine_low\": -1, \"cosine_high\": 1}}}";

    private static List<String> ids(ClusterClient.Response r) {
        assertEquals(r.raw(), 200, r.status());
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> hit : r.<List<Map<String, Object>>>path("hits.hits")) {
            ids.add((String) hit.get("_id"));
        }
        return ids;
    }

    @Test
    public void composesWithSortCollapseAggregationsPostFilterAndProfile() throws IOException {
        List<String> sorted = ids(search("{\"size\": 50, \"sort\": [{\"image\": \"asc\"}], \"query\": " + HYBRID + "}"));
        assertTrue(sorted.size() >= 30);
        assertEquals(sorted.stream().sorted().toList(), sorted);
        ClusterClient.Response collapsed = search("{\"size\": 10, \"collapse\": {\"field\": \"tags.raw\"}, \"query\": " + HYBRID + "}");
        assertEquals(collapsed.raw(), 2, ids(collapsed).size());
        ClusterClient.Response aggs = search("{\"size\": 0, \"track_total_hits\": true, \"aggs\": {\"groups\": {\"terms\": {\"field\": \"tags.raw\"}}},"
            + " \"post_filter\": {\"term\": {\"tags.raw\": \"odd\"}}, \"query\": " + HYBRID + "}");
        int total = ((Number) aggs.path("hits.total.value")).intValue();
        List<Map<String, Object>> buckets = aggs.path("aggregations.groups.buckets");
        int inBuckets = buckets.stream().mapToInt(b -> ((Number) b.get("doc_count")).intValue()).sum();
        assertTrue(aggs.raw(), inBuckets > total); // post_filter keeps only odd hits, the aggregation sees both groups
        ClusterClient.Response profiled = search("{\"size\": 3, \"profile\": true, \"query\": " + HYBRID + "}");
        assertTrue(profiled.raw(), profiled.raw().contains("clip_hybrid_calibrated"));
    }

    @Test
    public void composesWithRescoreScrollAndSearchAfter() throws IOException {
        List<String> plain = ids(search("{\"size\": 20, \"query\": " + HYBRID + "}"));
        List<String> rescored = ids(search("{\"size\": 20, \"query\": " + HYBRID + ", \"rescore\": {\"window_size\": 20, \"query\": {"
            + "\"rescore_query\": {\"term\": {\"tags.raw\": \"even\"}}, \"query_weight\": 1, \"rescore_query_weight\": 100}}}"));
        assertEquals(new java.util.HashSet<>(plain), new java.util.HashSet<>(rescored));
        assertEquals("rescoring lifted the even images above the odd ones", "even",
            ((Map<?, ?>) search("{\"size\": 1, \"query\": {\"ids\": {\"values\": [\"" + rescored.get(0) + "\"]}}}")
                .<List<Map<String, Object>>>path("hits.hits").get(0).get("_source")).get("tags"));
        ClusterClient.Response first = cluster.post("/" + INDEX + "/_search?scroll=1m", "{\"size\": 10, \"query\": " + HYBRID + "}");
        List<String> scrolled = new ArrayList<>(ids(first));
        ClusterClient.Response next = cluster.post("/_search/scroll", "{\"scroll\": \"1m\", \"scroll_id\": \"" + first.path("_scroll_id") + "\"}");
        scrolled.addAll(ids(next));
        assertEquals(plain, scrolled);
        String sortByScore = "\"sort\": [{\"_score\": \"desc\"}, {\"image\": \"asc\"}]";
        ClusterClient.Response page1 = search("{\"size\": 10, " + sortByScore + ", \"query\": " + HYBRID + "}");
        List<Map<String, Object>> hits = page1.path("hits.hits");
        List<?> after = (List<?>) hits.get(hits.size() - 1).get("sort");
        List<String> page2 = ids(search("{\"size\": 10, " + sortByScore + ", \"search_after\": [" + after.get(0) + ", \"" + after.get(1) + "\"], \"query\": " + HYBRID + "}"));
        assertEquals(plain.subList(10, 20), page2);
    }

    @Test
    public void minScoreDropsWeakerDocumentsAndEfSearchKeepsTheBestK() throws IOException {
        ClusterClient.Response all = search("{\"size\": 100, \"query\": " + HYBRID + "}");
        List<Double> scores = all.<List<Map<String, Object>>>path("hits.hits").stream().map(h -> ((Number) h.get("_score")).doubleValue()).toList();
        double threshold = scores.get(scores.size() / 2);
        String withMin = HYBRID.replace("\"k\": 30", "\"k\": 30, \"min_score\": " + threshold);
        ClusterClient.Response kept = search("{\"size\": 100, \"query\": " + withMin + "}");
        List<Map<String, Object>> hits = kept.path("hits.hits");
        assertEquals(kept.raw(), scores.stream().filter(x -> x >= threshold).count(), hits.size());
        String wider = HYBRID.replace("\"k\": 30", "\"k\": 30, \"ef_search\": 200");
        assertEquals(ids(all), ids(search("{\"size\": 100, \"query\": " + wider + "}")));
    }

    @Test
    public void properNounsCanFilterOrBeLeftAlone() throws IOException {
        ClusterClient.Response filtered = search("""
            {"size": 10, "query": {"clip_hybrid": {"query_text": "a boat at Zorblax", "vector_field": "image_vector", "text_fields": ["title"],
             "proper_nouns": "filter"}}}""");
        assertEquals(filtered.raw(), List.of(BOAT), ids(filtered));
        String off = search("""
            {"size": 1, "explain": true, "query": {"clip_hybrid": {"query_text": "Zorblax", "vector_field": "image_vector", "text_fields": ["title"],
             "proper_nouns": "off"}}}""").raw();
        assertTrue(off, off.contains("clip_hybrid calibrated") && off.contains("proper nouns") == false);
    }

    @Test
    public void aNamedQueryEncodesTheOtherWordsAlthoughTheWholeTextIsEncodedWhileNamesAreLookedUp() throws IOException {
        String named = search("""
            {"size": 10, "explain": true, "query": {"clip_hybrid": {"query_text": "a boat at Zorblax", "vector_field": "image_vector",
             "text_fields": ["title"]}}}""").raw();
        assertTrue(named, named.contains("CLIP encodes [a boat at]"));
        Object rest = cluster.post("/_plugins/clip/_embed", "{\"texts\": [\"a boat at\"]}").<List<Map<String, Object>>>path("texts").get(0).get("embedding");
        String byVector = search("{\"size\": 100, \"explain\": true, \"query\": {\"clip_hybrid\": {\"query_vector\": " + rest
            + ", \"vector_field\": \"image_vector\", \"k\": 100}}}").raw();
        assertEquals(cosineOf(byVector, BOAT), cosineOf(named, BOAT));
    }

    @Test
    public void aNameTypedInLowerCaseIsStillAName() throws IOException {
        // the tokenizer cuts "zorblax" into pieces and the titles hold it rarely: a name, whatever its case
        String lower = search("""
            {"size": 3, "explain": true, "query": {"clip_hybrid": {"query_text": "a boat at zorblax", "vector_field": "image_vector",
             "text_fields": ["title"]}}}""").raw();
        assertTrue(lower, lower.contains("proper nouns [zorblax]"));
        assertTrue(lower, lower.contains("CLIP encodes [a boat at]"));
        // "regatta" is as rare in the titles, but one piece of CLIP's vocabulary: a word the picture can show, not a name
        String known = search("""
            {"size": 3, "explain": true, "query": {"clip_hybrid": {"query_text": "a Regatta", "vector_field": "image_vector",
             "text_fields": ["title"]}}}""").raw();
        assertFalse(known, known.contains("proper nouns"));
    }

    @Test
    public void aPictureWithoutTextIsJudgedOnItsPictureAlone() throws IOException {
        String explained = search("""
            {"size": 20, "explain": true, "query": {"clip_hybrid": {"query_text": "a dog runs on the grass", "vector_field": "image_vector",
             "text_fields": ["title"]}}}""").raw();
        assertTrue(explained, explained.contains("text: no text in the text fields, so no evidence either way"));
        assertTrue(explained, explained.contains("best bm25"));
    }

    /** The cosine that the explanation of hit {@code id} gives for its vector side. */
    private static String cosineOf(String explained, String id) {
        int hit = explained.indexOf("\"_id\":\"" + id + "\"");
        assertTrue(explained, hit >= 0);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("vector: cosine ([-0-9.Ee]+)").matcher(explained);
        assertTrue(explained, m.find(hit));
        return m.group(1);
    }

    @Test
    public void rankModesRejectWhatTheirFixedWindowCannotServe() throws IOException {
        String rrf = "{\"clip_hybrid\": {\"query_text\": \"a boat\", \"vector_field\": \"image_vector\", \"fusion\": \"rrf\", \"k\": 10}}";
        ClusterClient.Response scroll = cluster.post("/" + INDEX + "/_search?scroll=1m", "{\"size\": 5, \"query\": " + rrf + "}");
        assertEquals(scroll.raw(), 400, scroll.status());
        assertTrue(scroll.raw(), scroll.raw().contains("does not support scroll"));
        assertBadRequest("{\"from\": 8, \"size\": 5, \"query\": " + rrf + "}", "from + size = 13");
    }

    @Test
    public void queryImageByDocumentByPathAndByBase64FindsThatImage() throws IOException {
        for (String image : List.of("{\"index\": \"" + INDEX + "\", \"id\": \"" + BOAT + "\"}", "\"" + BOAT + "\"",
            "\"" + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(SharedFixtures.flickrImages().resolve(BOAT))) + "\"")) {
            ClusterClient.Response r = search("{\"size\": 1, \"query\": {\"clip_hybrid\": {\"query_image\": " + image
                + ", \"vector_field\": \"image_vector\"}}}");
            assertEquals(image.length() > 200 ? "base64" : image, List.of(BOAT), ids(r));
        }
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_image\": {\"index\": \"" + INDEX + "\", \"id\": \"nope\"}, \"vector_field\": \"image_vector\"}}}",
            "does not exist");
        assertBadRequest("{\"query\": {\"clip_hybrid\": {\"query_image\": \"../etc/passwd\", \"vector_field\": \"image_vector\"}}}",
            "[query_image]");
    }

    @Test
    public void severalTextsSearchWithTheirMeanDirectionAndTemplatesWrapTheText() throws IOException {
        ClusterClient.Response embedded = cluster.post("/_plugins/clip/_embed", "{\"texts\": [\"a boat\", \"a sailing ship\", \"a photo of a dog\"]}");
        List<Map<String, Object>> texts = embedded.path("texts");
        double[] mean = new double[((List<?>) texts.get(0).get("embedding")).size()];
        for (int t = 0; t < 2; t++) {
            List<?> v = (List<?>) texts.get(t).get("embedding");
            for (int i = 0; i < mean.length; i++) {
                mean[i] += ((Number) v.get(i)).doubleValue();
            }
        }
        double norm = Math.sqrt(java.util.Arrays.stream(mean).map(x -> x * x).sum());
        List<Float> direction = java.util.Arrays.stream(mean).mapToObj(x -> (float) (x / norm)).toList();
        String both = "{\"size\": 10, \"query\": {\"clip_hybrid\": {\"query_text\": [\"a boat\", \"a sailing ship\"], \"vector_field\": \"image_vector\"}}}";
        String byVector = "{\"size\": 10, \"query\": {\"clip_hybrid\": {\"query_vector\": " + direction + ", \"vector_field\": \"image_vector\"}}}";
        assertEquals(ids(search(byVector)), ids(search(both)));
        String templated = "{\"size\": 10, \"query\": {\"clip_hybrid\": {\"query_text\": \"a dog\", \"prompt_template\": \"a photo of {}\", \"vector_field\": \"image_vector\"}}}";
        String plainPrompt = "{\"size\": 10, \"query\": {\"clip_hybrid\": {\"query_vector\": " + texts.get(2).get("embedding") + ", \"vector_field\": \"image_vector\"}}}";
        assertEquals(ids(search(plainPrompt)), ids(search(templated)));
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

    /** An index without documents has no vectors in its segments: the mapping alone tells the field's dimension. */
    @Test
    public void anEmptyIndexWhoseVectorsHaveAnotherDimensionIsABadRequest() throws IOException {
        String empty = "clip-it-empty-3d";
        cluster.delete("/" + empty);
        ClusterClient.Response created = cluster.put("/" + empty, """
            {"settings": {"index.knn": true, "number_of_shards": 2},
             "mappings": {"properties": {"title": {"type": "text"}, "image_vector": {"type": "knn_vector", "dimension": 3,
               "space_type": "cosinesimil", "method": {"name": "hnsw", "engine": "lucene"}}}}}""");
        assertEquals(created.raw(), 200, created.status());
        try {
            for (String fusion : List.of("calibrated", "rrf")) {
                String body = """
                    {"query": {"clip_hybrid": {"query_text": "a dog", "vector_field": "image_vector", "text_fields": ["title"],
                     "fusion": "%s"}}}""".formatted(fusion);
                // the model's text embeddings have more than 3 dimensions, whichever model the cluster runs
                assertBadRequest(empty, body, "dimensions but field [image_vector] holds vectors of 3");
                assertBadRequest(empty, body, "the query vector has ");
            }
            String knn2 = "{\"query\": {\"clip_knn\": {\"vector_field\": \"image_vector\", \"query_vector\": [0.1, 0.2]}}}";
            assertBadRequest(empty, knn2, "the query vector has 2 dimensions but field [image_vector] holds vectors of 3");
            String knn3 = "{\"query\": {\"clip_knn\": {\"vector_field\": \"image_vector\", \"query_vector\": [0.1, 0.2, 0.3]}}}";
            ClusterClient.Response fits = cluster.post("/" + empty + "/_search", knn3);
            assertEquals(fits.raw(), 200, fits.status());
            assertEquals(fits.raw(), 0, ((Number) fits.path("hits.total.value")).intValue());
        } finally {
            cluster.delete("/" + empty);
        }
    }

    private static void assertBadRequest(String body, String fragment) throws IOException {
        assertBadRequest(INDEX, body, fragment);
    }

    private static void assertBadRequest(String index, String body, String fragment) throws IOException {
        ClusterClient.Response r = cluster.post("/" + index + "/_search", body);
        assertEquals(r.raw(), 400, r.status());
        assertTrue("[" + fragment + "] not in " + r.raw(), r.raw().contains(fragment));
    }
}
