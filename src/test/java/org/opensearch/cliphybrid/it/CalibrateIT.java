package org.opensearch.cliphybrid.it;

import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.junit.AfterClass;
import org.junit.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/**
 * {@code _calibrate} on the demo index (1,000 Flickr8k photos embedded by mini-clip, half with a title): 20 queries of one or
 * two words, judged by the photos' own five captions, fit the fusion; the held-out queries do at least as well as with the
 * defaults, the profile is stored, and a query with the profile is the query with its parameters written out.
 */
public class CalibrateIT {
    private static final String INDEX = DemoSearchIT.INDEX;
    private static final String PROFILE = "it-flickr";
    private static final ClusterClient cluster = new ClusterClient();
    private static final List<String> CONCEPTS = List.of(
        "dog", "snow", "beach", "bike", "water", "ball", "grass", "girl", "boy", "mountain", "street", "child", "crowd",
        "pool", "rock", "swing", "football", "horse", "baby", "black dog", "red shirt", "climbing", "skateboard", "ocean"
    );

    @AfterClass
    public static void dropProfile() throws IOException {
        cluster.delete("/_plugins/clip/profiles/" + PROFILE);
    }

    /** Photos whose captions hold every word of the query, judged relevant; queries with fewer than 3 are left out. */
    private static Map<String, List<String>> judgments() throws IOException {
        Map<String, String> captions = new TreeMap<>(DemoSearchIT.allCaptions());
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String concept : CONCEPTS) {
            List<String> words = Arrays.asList(concept.split(" "));
            List<String> relevant = new ArrayList<>();
            for (Map.Entry<String, String> image : captions.entrySet()) {
                Set<String> tokens = new HashSet<>(Arrays.asList(image.getValue().toLowerCase(Locale.ROOT).split("[^a-z]+")));
                if (tokens.containsAll(words) && relevant.size() < 100) {
                    // load-demo's ids are the file names without their extension
                    relevant.add(image.getKey().replaceFirst("\\.[^.]*$", ""));
                }
            }
            if (relevant.size() >= 3 && out.size() < 20) {
                out.put(concept, relevant);
            }
        }
        assertEquals("judged queries " + out.keySet(), 20, out.size());
        return out;
    }

    private static String calibrateBody(Map<String, List<String>> judgments, String profile) throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        judgments.forEach((text, ids) -> list.add(Map.of("query_text", text, "relevant", ids)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", Map.of("vector_field", "image_vector", "text_fields", List.of("title")));
        body.put("judgments", list);
        body.put("holdout", 0.3);
        body.put("seed", 1);
        body.put("metric", "ndcg@10");
        if (profile != null) {
            body.put("profile", profile);
        }
        return XContentFactory.jsonBuilder().map(body).toString();
    }

    @Test
    public void calibratesStoresAProfileAndTheProfileSearchesAsWrittenOut() throws IOException {
        ClusterClient.Response r = calibrate(calibrateBody(judgments(), PROFILE));
        assertEquals(r.raw(), 200, r.status());
        System.out.println("calibrate response: " + r.raw());
        assertEquals("ndcg@10", r.path("metric"));
        assertEquals(PROFILE, r.path("profile"));
        assertEquals(80, ((Number) r.path("grid_points")).intValue());
        assertEquals(14, ((Number) r.path("train.queries")).intValue());
        assertEquals(6, ((Number) r.path("holdout.queries")).intValue());
        double trainDefault = number(r, "train.default.ndcg@10"), trainBest = number(r, "train.best.ndcg@10");
        double heldDefault = number(r, "holdout.default.ndcg@10"), heldBest = number(r, "holdout.best.ndcg@10");
        // the node's defaults are a point of the grid: the fit cannot do worse on the queries it fits
        assertTrue(r.raw(), trainBest >= trainDefault);
        assertTrue(r.raw(), heldBest >= heldDefault);
        assertTrue(r.raw(), trainDefault > 0);
        Map<String, Object> parameters = r.path("parameters");
        assertNotNull(r.raw(), parameters.get("fusion"));

        ClusterClient.Response stored = cluster.get("/_plugins/clip/profiles/" + PROFILE);
        assertEquals(stored.raw(), 200, stored.status());
        assertEquals(parameters, stored.path("parameters"));
        assertEquals(INDEX, stored.path("index"));
        assertNotNull(stored.raw(), stored.path("model"));
        assertEquals(heldBest, number(stored, "holdout.ndcg@10"), 1e-9);

        for (String text : List.of("a dog runs through the snow", "children playing on the beach")) {
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("query_text", text);
            base.put("vector_field", "image_vector");
            base.put("text_fields", List.of("title"));
            Map<String, Object> withProfile = new LinkedHashMap<>(base);
            withProfile.put("profile", PROFILE);
            Map<String, Object> writtenOut = new LinkedHashMap<>(base);
            writtenOut.putAll(parameters);
            assertEquals(text, hits(search(withProfile)), hits(search(writtenOut)));
        }
    }

    @Test
    public void anUnknownProfileIsA404NamingIt() throws IOException {
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", """
            {"query": {"clip_hybrid": {"query_text": "dog", "vector_field": "image_vector", "profile": "no-such-profile"}}}""");
        assertEquals(r.raw(), 404, r.status());
        assertTrue(r.raw(), r.raw().contains("clip profile [no-such-profile] does not exist"));
        ClusterClient.Response get = cluster.get("/_plugins/clip/profiles/no-such-profile");
        assertEquals(get.raw(), 404, get.status());
        ClusterClient.Response delete = cluster.delete("/_plugins/clip/profiles/no-such-profile");
        assertEquals(delete.raw(), 404, delete.status());
    }

    @Test
    public void badRequestsAre400sNamingTheField() throws IOException {
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_plugins/clip/_calibrate", """
            {"query": {"vector_field": "image_vector"}, "judgments": [{"query_text": "dog", "relevant": ["a"]}]}""");
        assertEquals(r.raw(), 400, r.status());
        assertTrue(r.raw(), r.raw().contains("[judgments] has 1 queries; calibration needs at least 4"));
        ClusterClient.Response name = cluster.get("/_plugins/clip/profiles/Bad%20Name");
        assertEquals(name.raw(), 400, name.status());
        assertTrue(name.raw(), name.raw().contains("[name] must be 1 to 64 characters of [a-z0-9_-]"));
    }

    @Test
    public void aDeletedProfileIsGone() throws IOException {
        Map<String, List<String>> few = new LinkedHashMap<>();
        judgments().entrySet().stream().limit(4).forEach(e -> few.put(e.getKey(), e.getValue()));
        String body = calibrateBody(few, "it-delete-me").replace("\"holdout\":0.3", "\"holdout\":0.5");
        ClusterClient.Response r = calibrate(body);
        assertEquals(r.raw(), 200, r.status());
        assertEquals(200, cluster.get("/_plugins/clip/profiles/it-delete-me").status());
        ClusterClient.Response deleted = cluster.delete("/_plugins/clip/profiles/it-delete-me");
        assertEquals(deleted.raw(), 200, deleted.status());
        assertEquals(404, cluster.get("/_plugins/clip/profiles/it-delete-me").status());
        ClusterClient.Response search = cluster.post("/" + INDEX + "/_search", """
            {"query": {"clip_hybrid": {"query_text": "dog", "vector_field": "image_vector", "profile": "it-delete-me"}}}""");
        assertEquals(search.raw(), 404, search.status());
    }

    /** A calibration runs about a thousand searches here: longer than the shared client's 120 s is allowed for. */
    private static ClusterClient.Response calibrate(String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(System.getProperty("tests.cluster", "http://127.0.0.1:9200") + "/" + INDEX + "/_plugins/clip/_calibrate"))
            .timeout(Duration.ofMinutes(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String raw = response.body();
            Map<String, Object> parsed = raw.startsWith("{") ? XContentHelper.convertToMap(JsonXContent.jsonXContent, raw, false) : Map.of();
            return new ClusterClient.Response(response.statusCode(), parsed, raw);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static ClusterClient.Response search(Map<String, Object> clipHybrid) throws IOException {
        String body = XContentFactory.jsonBuilder()
            .map(Map.of("size", 10, "_source", false, "query", Map.of("clip_hybrid", clipHybrid)))
            .toString();
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", body);
        assertEquals(r.raw(), 200, r.status());
        return r;
    }

    private static List<String> hits(ClusterClient.Response r) {
        List<Map<String, Object>> hits = r.path("hits.hits");
        assertEquals(r.raw(), 10, hits.size());
        return hits.stream().map(h -> h.get("_id") + ":" + h.get("_score")).collect(Collectors.toList());
    }

    private static double number(ClusterClient.Response r, String path) {
        // metric names hold a dot-free '@': the last part of the path is the key as it stands
        int last = path.lastIndexOf('.');
        Map<?, ?> parent = r.path(path.substring(0, last));
        assertNotNull(r.raw(), parent);
        return ((Number) parent.get(path.substring(last + 1))).doubleValue();
    }
}
