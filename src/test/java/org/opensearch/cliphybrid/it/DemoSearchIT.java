package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The demo index that test-cluster/start loads: the 1,000 Flickr8k test images embedded by mini-clip at ingest. */
public class DemoSearchIT {
    static final String INDEX = "clip-images-flickr8k";
    private final ClusterClient cluster = new ClusterClient();

    @Test
    public void everyImageWasEmbedded() throws IOException {
        ClusterClient.Response count = cluster.get("/" + INDEX + "/_count");
        assertEquals(count.raw(), 1000, ((Number) count.path("count")).intValue());
        ClusterClient.Response withVector = cluster.post("/" + INDEX + "/_count", "{\"query\":{\"exists\":{\"field\":\"image_vector\"}}}");
        assertEquals(withVector.raw(), 1000, ((Number) withVector.path("count")).intValue());
    }

    @Test
    public void hybridSearchForDogsOnGrassFindsDogs() throws IOException {
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", """
            {"size": 5, "query": {"clip_hybrid": {"query_text": "a dog runs across the grass", "vector_field": "image_vector",
             "text_fields": ["title^2"], "k": 100}}}""");
        assertEquals(r.raw(), 200, r.status());
        List<Map<String, Object>> hits = r.path("hits.hits");
        assertEquals(5, hits.size());
        Map<String, String> captions = allCaptions();
        int dogs = 0;
        for (Map<String, Object> hit : hits) {
            String file = (String) ((Map<?, ?>) hit.get("_source")).get("file");
            if (captions.get(file).contains("dog")) {
                dogs++;
            }
        }
        assertTrue("dogs in top 5: " + dogs + " of " + hits, dogs >= 3);
    }

    @Test
    public void vectorSideAloneFindsDogsWithoutAnyTitle() throws IOException {
        // no text_fields: only the picture speaks, and images without a title are found too
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_search", """
            {"size": 10, "query": {"clip_hybrid": {"query_text": "a dog runs across the grass", "vector_field": "image_vector"}}}""");
        assertEquals(r.raw(), 200, r.status());
        List<Map<String, Object>> hits = r.path("hits.hits");
        Map<String, String> captions = allCaptions();
        int dogs = 0, untitled = 0;
        for (Map<String, Object> hit : hits) {
            Map<?, ?> source = (Map<?, ?>) hit.get("_source");
            dogs += captions.get((String) source.get("file")).contains("dog") ? 1 : 0;
            untitled += source.containsKey("title") ? 0 : 1;
        }
        assertTrue("dogs in top 10: " + dogs, dogs >= 5);
        assertTrue("untitled images in top 10: " + untitled, untitled >= 1);
    }

    /** All five captions of each image, lower-cased and joined: the ground truth of what a picture shows. */
    static Map<String, String> allCaptions() throws IOException {
        Map<String, String> byImage = new HashMap<>();
        List<String> lines = Files.readAllLines(SharedFixtures.flickrDir().resolve("captions.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split("\t");
            byImage.merge(cols[0], cols[2].toLowerCase(Locale.ROOT), (a, b) -> a + " | " + b);
        }
        return byImage;
    }

    static Set<String> ids(List<Map<String, Object>> hits) {
        Set<String> ids = new HashSet<>();
        hits.forEach(h -> ids.add((String) h.get("_id")));
        return ids;
    }
}
