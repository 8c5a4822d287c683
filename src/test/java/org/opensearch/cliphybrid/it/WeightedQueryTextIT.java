package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Weighted and negative query texts on a real node with the real model and images: the query vector is the normalised weighted
 * sum of the texts' embeddings, a negative text pushes its concept's images down, and it never searches the words.
 */
public class WeightedQueryTextIT {
    private static final String INDEX = "clip-images-it-weighted";
    private static final String EMBED = "/_plugins/clip/_embed";
    private static final int K = 20;
    private static final ClusterClient cluster = new ClusterClient();
    /** Every indexed image's stored vector, by id. */
    private static final Map<String, float[]> vectors = new HashMap<>();

    @BeforeClass
    public static void indexImages() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        List<String> files = Files.readAllLines(SharedFixtures.flickrDir().resolve("test_images.txt")).subList(0, 120);
        StringBuilder bulk = new StringBuilder();
        for (String file : files) {
            bulk.append("{\"index\":{\"_id\":\"").append(file).append("\"}}\n");
            bulk.append("{\"image\":\"").append(file).append("\",\"file\":\"").append(file).append("\"}\n");
        }
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true", bulk.toString());
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        ClusterClient.Response all = cluster.post("/" + INDEX + "/_search", "{\"size\": 200, \"_source\": [\"image_vector\"]}");
        for (Map<String, Object> hit : all.<List<Map<String, Object>>>path("hits.hits")) {
            vectors.put((String) hit.get("_id"), floats((List<?>) ((Map<?, ?>) hit.get("_source")).get("image_vector")));
        }
        assertEquals(files.size(), vectors.size());
    }

    @AfterClass
    public static void dropIndex() throws IOException {
        cluster.delete("/" + INDEX);
    }

    private static float[] floats(List<?> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    private static float[] embed(String text) throws IOException {
        ClusterClient.Response r = cluster.post(EMBED, "{\"texts\": [\"" + text + "\"]}");
        assertEquals(r.raw(), 200, r.status());
        return floats(r.path("texts.0.embedding"));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static String vectorJson(float[] v) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            out.append(i == 0 ? "" : ",").append(v[i]);
        }
        return out.append(']').toString();
    }

    // the widest band clamps no cosine, so the score orders exactly as the cosine does
    private static List<Map<String, Object>> hits(String inputs) throws IOException {
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", "{\"size\": " + K + ", \"_source\": false, \"query\": {\"clip_hybrid\": {"
            + inputs + ", \"vector_field\": \"image_vector\", \"k\": " + K + ", \"vector_calibration\": {\"cosine_low\": -1, \"cosine_high\": 1}}}}");
        assertEquals(r.raw(), 200, r.status());
        List<Map<String, Object>> hits = r.path("hits.hits");
        assertEquals(r.raw(), K, hits.size());
        return hits;
    }

    /** One document's score for the query, the document picked by the query's own filter. */
    private static double scoreOf(String inputs, String id) throws IOException {
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", "{\"size\": 1, \"_source\": false, \"query\": {\"clip_hybrid\": {"
            + inputs + ", \"vector_field\": \"image_vector\", \"k\": " + K + ", \"vector_calibration\": {\"cosine_low\": -1, \"cosine_high\": 1},"
            + " \"filter\": {\"ids\": {\"values\": [\"" + id + "\"]}}}}}");
        assertEquals(r.raw(), 200, r.status());
        return ((Number) r.path("hits.hits.0._score")).doubleValue();
    }

    private static List<String> ids(List<Map<String, Object>> hits) {
        return hits.stream().map(h -> (String) h.get("_id")).toList();
    }

    private static double meanCosine(List<String> ids, float[] concept) {
        return ids.stream().mapToDouble(id -> cosine(vectors.get(id), concept)).average().orElseThrow();
    }

    @Test
    public void theQueryVectorIsTheNormalisedWeightedSumOfTheEmbeddings() throws IOException {
        float[] dog = embed("dog"), grass = embed("grass");
        // as the plugin sums: in float, each embedding times its weight, then scaled to unit length
        float[] sum = new float[dog.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] += 1f * dog[i];
            sum[i] += -0.8f * grass[i];
        }
        double length = 0;
        for (float x : sum) {
            length += (double) x * x;
        }
        length = Math.sqrt(length);
        float[] expected = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            expected[i] = (float) (sum[i] / length);
        }
        List<Map<String, Object>> weighted = hits("\"query_text\": [\"dog\", {\"text\": \"grass\", \"weight\": -0.8}]");
        SameHits.assertSameHits(hits("\"query_vector\": " + vectorJson(expected)), weighted);
        for (int i = 1; i < K; i++) {
            double previous = cosine(vectors.get((String) weighted.get(i - 1).get("_id")), expected);
            double current = cosine(vectors.get((String) weighted.get(i).get("_id")), expected);
            assertTrue("hit " + i + " ranks by the cosine with normalise(dog - 0.8 grass)", current <= previous + 1e-5);
        }
        // unweighted texts: the plain mean direction, as before weights existed
        SameHits.assertSameHits(
            hits("\"query_text\": [\"dog\", \"grass\"]"),
            hits("\"query_text\": [{\"text\": \"dog\", \"weight\": 1}, \"grass\"]")
        );
    }

    @Test
    public void aNegativeTextPushesItsConceptDown() throws IOException {
        float[] dog = embed("dog"), grass = embed("grass");
        List<String> dogs = ids(hits("\"query_text\": \"dog\""));
        List<String> withoutGrass = ids(hits("\"query_text\": [\"dog\", {\"text\": \"grass\", \"weight\": -0.8}]"));
        assertFalse("the negative text changed the results", dogs.equals(withoutGrass));
        double grassBefore = meanCosine(dogs, grass), grassAfter = meanCosine(withoutGrass, grass);
        assertTrue("grass among the dog results: " + grassAfter + " < " + grassBefore, grassAfter < grassBefore);
        // still the dog results: they lean towards dog more than the index does
        double dogIndex = vectors.keySet().stream().mapToDouble(id -> cosine(vectors.get(id), dog)).average().orElseThrow();
        assertTrue(meanCosine(withoutGrass, dog) + " > " + dogIndex, meanCosine(withoutGrass, dog) > dogIndex);
        // the grassiest of the dog results ranks lower, or drops out of the top k
        String grassiest = dogs.stream().max((a, b) -> Double.compare(cosine(vectors.get(a), grass), cosine(vectors.get(b), grass))).orElseThrow();
        int after = withoutGrass.indexOf(grassiest);
        assertTrue(grassiest + " at " + dogs.indexOf(grassiest) + ", then " + after, after < 0 || after > dogs.indexOf(grassiest));
    }

    @Test
    public void aNegativeTextDoesNotSearchTheWords() throws IOException {
        float[] dog = embed("dog");
        // the image least like a dog, titled with the word the query pushes away: only a words side could bring it back
        String leastDog = vectors.keySet().stream().min((a, b) -> Double.compare(cosine(vectors.get(a), dog), cosine(vectors.get(b), dog))).orElseThrow();
        ClusterClient.Response updated = cluster.post("/" + INDEX + "/_update/" + leastDog + "?refresh=true", "{\"doc\": {\"title\": \"green grass\"}}");
        assertEquals(updated.raw(), 200, updated.status());
        try {
            // the words side weighted heavily, so that a title match would reach the top k
            String words = "\"text_fields\": [\"title\"], \"proper_nouns\": \"off\", \"weights\": {\"vector\": 1, \"text\": 5}";
            String texts = "\"query_text\": [\"dog\", {\"text\": \"grass\", \"weight\": -0.8}]";
            List<String> negative = ids(hits(texts + ", " + words));
            assertFalse(leastDog + " matched the negative text's words", negative.contains(leastDog));
            // no title says dog, and grass is not searched: the words side adds nothing to the vector side's ranking
            assertEquals(ids(hits(texts)), negative);
            // the same word as a positive text does search the words: the titled image scores higher with them than on its
            // vector alone (only one document has a title, so BM25's idf is small: a higher score, not a place in the top k)
            String positiveTexts = "\"query_text\": [\"dog\", {\"text\": \"grass\", \"weight\": 0.5}]";
            assertTrue(scoreOf(positiveTexts + ", " + words, leastDog) > scoreOf(positiveTexts, leastDog));
        } finally {
            cluster.post("/" + INDEX + "/_update/" + leastDog + "?refresh=true", "{\"doc\": {\"title\": null}}");
        }
    }

    @Test
    public void textsThatCancelOutOrOnlyPushAwayAreBadRequests() throws IOException {
        assertBadRequest("\"query_text\": [\"dog\", {\"text\": \"dog\", \"weight\": -1}]", "[query_text] weights cancel out");
        assertBadRequest("\"query_text\": [{\"text\": \"grass\", \"weight\": -1}]", "[query_text] has only negative weights");
        assertBadRequest("\"query_text\": [\"dog\", {\"text\": \"grass\", \"weight\": -11}]", "[query_text] [grass] has weight -11.0");
        assertBadRequest("\"query_text\": [\"dog\", {\"text\": \"grass\", \"boost\": 2}]", "unknown key [boost]");
    }

    private static void assertBadRequest(String inputs, String fragment) throws IOException {
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", "{\"query\": {\"clip_hybrid\": {" + inputs
            + ", \"vector_field\": \"image_vector\"}}}");
        assertEquals(r.raw(), 400, r.status());
        assertTrue("[" + fragment + "] not in " + r.raw(), r.raw().contains(fragment));
    }
}
