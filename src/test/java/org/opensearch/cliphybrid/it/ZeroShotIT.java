package org.opensearch.cliphybrid.it;

import org.junit.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** clip_zero_shot on real Flickr8k photos with mini-clip, after clip_embedding in the same pipeline. */
public class ZeroShotIT {
    private static final List<String> LABELS = List.of("dog", "child", "beach", "snow", "bicycle", "water", "grass", "people", "street");
    private final ClusterClient cluster = new ClusterClient();

    private static String pipeline(String zeroShotOptions) {
        return """
            {"processors": [
              {"clip_embedding": {"field": "image", "target_field": "image_vector"}},
              {"clip_zero_shot": {"field": "image_vector", "target_field": "labels", %s}},
              {"remove": {"field": "image_vector"}}]}""".formatted(zeroShotOptions);
    }

    private List<Map<String, Object>> simulate(String pipeline, List<String> images) throws IOException {
        StringBuilder docs = new StringBuilder();
        for (String image : images) {
            docs.append(docs.isEmpty() ? "" : ",").append("{\"_source\": {\"image\": \"").append(image).append("\"}}");
        }
        ClusterClient.Response r = cluster.post("/_ingest/pipeline/_simulate", "{\"pipeline\": " + pipeline + ", \"docs\": [" + docs + "]}");
        assertEquals(r.raw(), 200, r.status());
        return r.path("docs");
    }

    @Test
    public void dogPhotosAreLabelledDog() throws IOException {
        Map<String, String> captions = DemoSearchIT.allCaptions();
        List<String> dogs = new ArrayList<>(), others = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(captions).entrySet()) {
            boolean dog = e.getValue().contains("dog");
            // only pictures whose five captions agree, so that the ground truth is not in doubt
            boolean noDog = Stream.of("dog", "puppy", "animal").noneMatch(e.getValue()::contains);
            if (dog && dogs.size() < 25) {
                dogs.add(e.getKey());
            } else if (noDog && others.size() < 25) {
                others.add(e.getKey());
            }
        }
        List<String> images = new ArrayList<>(dogs);
        images.addAll(others);
        String labels = "\"labels\": [" + String.join(",", LABELS.stream().map(l -> "\"" + l + "\"").toList()) + "]";
        // every label with its probability, so that the dog's rank and probability can be read off each picture
        List<Map<String, Object>> docs = simulate(pipeline(labels + ", \"top_k\": " + LABELS.size() + ", \"add_scores\": true"), images);
        int dogsWithDog = 0, othersWithDog = 0;
        double dogProbabilityOfDogs = 0, dogProbabilityOfOthers = 0;
        for (int i = 0; i < images.size(); i++) {
            Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) docs.get(i).get("doc")).get("_source");
            List<?> got = (List<?>) source.get("labels");
            List<?> scores = (List<?>) source.get("labels_scores");
            assertEquals(source.toString(), LABELS.size(), got.size());
            double sum = 0, previous = 1;
            for (Object score : scores) {
                double p = ((Number) score).doubleValue();
                assertTrue("most probable first: " + source, p <= previous);
                previous = p;
                sum += p;
            }
            assertEquals("probabilities sum to 1: " + source, 1.0, sum, 1e-6);
            boolean dogInTop2 = got.subList(0, 2).contains("dog");
            double pDog = ((Number) scores.get(got.indexOf("dog"))).doubleValue();
            if (i < dogs.size()) {
                dogsWithDog += dogInTop2 ? 1 : 0;
                dogProbabilityOfDogs += pDog / dogs.size();
            } else {
                othersWithDog += dogInTop2 ? 1 : 0;
                dogProbabilityOfOthers += pDog / others.size();
            }
        }
        String measured = String.format(
            Locale.ROOT,
            "dog among the top 2 labels: %d of %d dog photos, %d of %d other photos; mean P(dog): %.3f vs %.3f",
            dogsWithDog,
            dogs.size(),
            othersWithDog,
            others.size(),
            dogProbabilityOfDogs,
            dogProbabilityOfOthers
        );
        System.out.println("ZeroShotIT " + measured);
        assertEquals(25, dogs.size());
        assertEquals(25, others.size());
        // measured with mini-clip: 18 of 25, 6 of 25, 0.261 vs 0.068. Mini-clip often ranks the scene (grass, snow) above the
        // dog, which is there too, so the top 2 are judged rather than the top 1 (5 of 25 dog photos, 0 of 25 others).
        assertTrue(measured, dogsWithDog >= 15);
        assertTrue(measured, othersWithDog <= 10);
        assertTrue(measured, dogProbabilityOfDogs > 2 * dogProbabilityOfOthers);
    }

    @Test
    public void clipEmbeddingLabelsTheVectorItWroteLikeTheStandaloneProcessor() throws IOException {
        List<String> images = List.of("1082379191_ec1e53f996.jpg", "3385593926_d3e9c21170.jpg", "211295363_49010ca38d.jpg");
        String options = "\"labels\": [\"dog\", \"snow\", \"beach\", \"boat\"], \"top_k\": 2, \"add_scores\": true";
        List<Map<String, Object>> standalone = simulate(pipeline(options), images);
        String inline = """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "batch_size": 3,
              "zero_shot": {"target_field": "labels", %s}}}, {"remove": {"field": "image_vector"}}]}""".formatted(options);
        List<Map<String, Object>> together = simulate(inline, images);
        for (int i = 0; i < images.size(); i++) {
            Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) standalone.get(i).get("doc")).get("_source");
            Map<?, ?> b = (Map<?, ?>) ((Map<?, ?>) together.get(i).get("doc")).get("_source");
            assertEquals(images.get(i), a.get("labels"), b.get("labels"));
            assertEquals(2, ((List<?>) b.get("labels_scores")).size());
        }
        ClusterClient.Response bad = cluster.put("/_ingest/pipeline/zero-shot-inline-bad", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "v", "zero_shot": {"target_field": "l", "labels": ["dog"], "colour": 1}}}]}""");
        assertEquals(bad.raw(), 400, bad.status());
        assertTrue(bad.raw(), bad.raw().contains("[zero_shot] unknown options [colour]"));
    }

    @Test
    public void minProbabilityAndTopKLimitTheLabels() throws IOException {
        List<Map<String, Object>> docs = simulate(
            pipeline("\"labels\": [\"dog\", \"snow\", \"beach\"], \"top_k\": 3, \"min_probability\": 0.99"),
            List.of("1082379191_ec1e53f996.jpg")
        );
        Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) docs.get(0).get("doc")).get("_source");
        assertTrue(source.toString(), ((List<?>) source.get("labels")).size() <= 1);
        assertTrue("no scores unless asked for", source.containsKey("labels_scores") == false);
    }

    @Test
    public void badVectorsAndOptionsAreClearErrors() throws IOException {
        String p = """
            {"processors": [{"clip_zero_shot": {"field": "v", "target_field": "labels", "labels": ["dog", "cat"]}}]}""";
        ClusterClient.Response r = cluster.post("/_ingest/pipeline/_simulate", "{\"pipeline\": " + p + ", \"docs\": ["
            + "{\"_source\": {\"v\": [0.1, 0.2, 0.3]}}, {\"_source\": {\"w\": 1}}, {\"_source\": {\"v\": \"dog\"}}]}");
        assertEquals(r.raw(), 200, r.status());
        assertTrue(r.raw(), r.<String>path("docs.0.error.reason").contains("[clip_zero_shot] field [v]: the vector has 3 dimensions"));
        assertTrue(r.raw(), r.<String>path("docs.1.error.reason").contains("[clip_zero_shot] field [v] is missing"));
        assertTrue(r.raw(), r.<String>path("docs.2.error.reason").contains("must be a non-empty vector of numbers"));

        ClusterClient.Response bad = cluster.put("/_ingest/pipeline/zero-shot-bad", """
            {"processors": [{"clip_zero_shot": {"field": "v", "target_field": "l", "labels": ["dog"], "templates": ["a dog"]}}]}""");
        assertEquals(bad.raw(), 400, bad.status());
        assertTrue(bad.raw(), bad.raw().contains("[templates] each template must be a string with {}"));
    }
}
