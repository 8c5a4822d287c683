package org.opensearch.cliphybrid.it;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.opensearch.cliphybrid.testing.SharedFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/**
 * Per-model settings on a real cluster: the band measured on an index's own captioned images, stored as the model's
 * {@code plugins.clip.models.<model>.*} settings, shown with its source, and used by clip_hybrid's scores; a band set by hand
 * is validated, and a field another model made is refused.
 */
public class ModelSettingsIT {
    private static final String INDEX = "clip-images-it-model-settings";
    private static final String MODEL = "mini-clip-flickr8k";
    private static final ClusterClient cluster = new ClusterClient();

    @BeforeClass
    public static void indexCaptionedImages() throws Exception {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        Map<String, String> captions = DemoSearchIT.allCaptions();
        List<String> files = Files.readAllLines(SharedFixtures.flickrDir().resolve("test_images.txt")).subList(0, 60);
        StringBuilder bulk = new StringBuilder();
        for (String file : files) {
            String caption = captions.get(file).split(" \\| ")[0].replace("\"", "'");
            bulk.append("{\"index\":{\"_id\":\"").append(file).append("\"}}\n");
            bulk.append("{\"image\":\"").append(file).append("\",\"caption\":\"").append(caption).append("\"}\n");
        }
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true", bulk.toString());
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
        // the mapping's record of the model follows the first write; the refusal below reads it
        for (int i = 0; i < 100 && stamp() == null; i++) {
            Thread.sleep(100);
        }
        assertNotNull("no _meta.clip_models stamp on " + INDEX, stamp());
    }

    @SuppressWarnings("unchecked")
    private static Object stamp() throws IOException {
        Map<String, Object> meta = cluster.get("/" + INDEX + "/_mapping").path(INDEX + ".mappings._meta");
        return meta == null ? null : ((Map<String, Object>) meta.getOrDefault("clip_models", Map.of())).get("image_vector");
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        cluster.delete("/" + INDEX);
        reset();
    }

    private static void reset() throws IOException {
        cluster.put("/_cluster/settings", """
            {"persistent": {"plugins.clip.models.%1$s.cosine_low": null, "plugins.clip.models.%1$s.cosine_high": null}}""".formatted(MODEL));
    }

    private static ClusterClient.Response measure(String model, boolean store) throws IOException {
        return cluster.post("/_plugins/clip/models/" + model + "/_measure_band", """
            {"index": "%s", "vector_field": "image_vector", "text_field": "caption", "sample_size": 60, "store": %s}""".formatted(INDEX, store));
    }

    private static ClusterClient.Response explainedSearch() throws IOException {
        return cluster.post("/" + INDEX + "/_search", """
            {"size": 3, "explain": true, "query": {"clip_hybrid": {"model": "%s", "query_text": "a dog runs on the grass",
             "vector_field": "image_vector", "text_fields": ["caption"]}}}""".formatted(MODEL));
    }

    private static float number(ClusterClient.Response r, String path) {
        Object value = r.path(path);
        assertTrue(r.raw(), value instanceof Number);
        return ((Number) value).floatValue();
    }

    @Test
    public void aBandMeasuredAndStoredIsTheOneQueriesUse() throws IOException {
        reset();
        ClusterClient.Response measured = measure(MODEL, true);
        assertEquals(measured.raw(), 200, measured.status());
        float low = number(measured, "cosine_low"), high = number(measured, "cosine_high");
        assertTrue(measured.raw(), -1 <= low && low < high && high <= 1);
        assertEquals(measured.raw(), 60, ((Number) measured.path("matching_pairs")).intValue());
        assertEquals(measured.raw(), 300, ((Number) measured.path("non_matching_pairs")).intValue());
        assertEquals(measured.raw(), Boolean.TRUE, measured.path("stored"));
        // a caption matches its own picture better than other pictures, on the whole
        assertTrue(measured.raw(), number(measured, "percentiles.matching.p50") > number(measured, "percentiles.non_matching.p50"));

        ClusterClient.Response settings = cluster.get("/_plugins/clip/models/" + MODEL + "/_settings");
        assertEquals(settings.raw(), 200, settings.status());
        assertEquals(settings.raw(), "setting", settings.path("effective.settings.cosine_low.source"));
        assertEquals(settings.raw(), low, number(settings, "effective.settings.cosine_low.value"), 0f);
        assertEquals(settings.raw(), high, number(settings, "effective.settings.cosine_high.value"), 0f);

        ClusterClient.Response hits = explainedSearch();
        assertEquals(hits.raw(), 200, hits.status());
        assertTrue(hits.raw(), hits.raw().contains("/ (" + high + " - " + low + ")"));

        // a deliberately extreme band: every cosine is far below it, so every score falls towards 0
        float before = number(hits, "hits.hits.0._score");
        ClusterClient.Response extreme = cluster.put("/_cluster/settings", """
            {"persistent": {"plugins.clip.models.%1$s.cosine_low": 0.98, "plugins.clip.models.%1$s.cosine_high": 0.99}}""".formatted(MODEL));
        assertEquals(extreme.raw(), 200, extreme.status());
        ClusterClient.Response after = explainedSearch();
        assertTrue(after.raw(), after.raw().contains("/ (0.99 - 0.98)"));
        assertTrue(before + " then " + after.raw(), number(after, "hits.hits.0._score") < before);

        reset();
        ClusterClient.Response back = cluster.get("/_plugins/clip/models/" + MODEL + "/_settings");
        assertTrue(back.raw(), List.of("folder", "default").contains(back.path("effective.settings.cosine_low.source")));
    }

    @Test
    public void aBandSetByHandIsValidated() throws IOException {
        ClusterClient.Response reversed = cluster.put("/_cluster/settings", """
            {"persistent": {"plugins.clip.models.%1$s.cosine_low": 0.4, "plugins.clip.models.%1$s.cosine_high": 0.2}}""".formatted(MODEL));
        assertEquals(reversed.raw(), 400, reversed.status());
        assertTrue(reversed.raw(), reversed.raw().contains("cosine_low < cosine_high"));
        ClusterClient.Response half = cluster.put("/_cluster/settings", """
            {"persistent": {"plugins.clip.models.%s.cosine_low": 0.2}}""".formatted(MODEL));
        assertEquals(half.raw(), 400, half.status());
        assertTrue(half.raw(), half.raw().contains("set with it"));
    }

    @Test
    public void aFieldAnotherModelMadeIsRefused() throws IOException {
        ClusterClient.Response other = measure("mini-clip-int8", false);
        assertEquals(other.raw(), 400, other.status());
        assertTrue(other.raw(), other.raw().contains("[vector_field] [image_vector] of index [" + INDEX + "] holds vectors of model"));
    }

    @Test
    public void aSampleTooLargeIsRefusedByName() throws IOException {
        ClusterClient.Response r = cluster.post("/_plugins/clip/models/" + MODEL + "/_measure_band", """
            {"index": "%s", "vector_field": "image_vector", "text_field": "caption", "sample_size": 5000}""".formatted(INDEX));
        assertEquals(r.raw(), 400, r.status());
        assertTrue(r.raw(), r.raw().contains("[sample_size]"));
    }
}
