package org.opensearch.cliphybrid.it;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import javax.imageio.ImageIO;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * {@code fold_duplicates} on a real node with the real model: Flickr photos, three of them indexed twice (the same bytes, and
 * two copies scaled down to half size and saved again as JPEG, as a site's thumbnail renditions are). Each result is checked
 * against the greedy fold of the unfolded ranking, computed here from the hits' stored vectors.
 */
public class NearDuplicateFoldIT {
    private static final String INDEX = "clip-images-it-fold";
    private static final ClusterClient cluster = new ClusterClient();
    private static List<String> files;

    @BeforeClass
    public static void indexImagesAndCopies() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.delete("/" + INDEX);
        // two shards: the window is the whole target's, so a copy on the other shard is folded too
        ClusterClient.Response created = cluster.put("/" + INDEX, "{\"settings\": {\"number_of_shards\": 2}}");
        assertEquals(created.raw(), 200, created.status());
        files = Files.readAllLines(SharedFixtures.flickrDir().resolve("test_images.txt")).subList(0, 30);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            doc(bulk, files.get(i), files.get(i), i < 3 ? "pair" : "single");
        }
        byte[] same = Files.readAllBytes(SharedFixtures.flickrImages().resolve(files.get(0)));
        doc(bulk, "copy-" + files.get(0), dataUri(same), "pair");
        for (int i = 1; i < 3; i++) {
            doc(bulk, "copy-" + files.get(i), dataUri(halfSize(files.get(i))), "pair");
        }
        ClusterClient.Response r = cluster.post("/" + INDEX + "/_bulk?refresh=true", bulk.toString());
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
    }

    private static void doc(StringBuilder bulk, String id, String image, String tag) {
        bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n");
        bulk.append("{\"image\":\"").append(image).append("\",\"tags\":\"").append(tag).append("\"}\n");
    }

    private static String dataUri(byte[] jpeg) {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
    }

    private static byte[] halfSize(String file) throws IOException {
        BufferedImage original = ImageIO.read(SharedFixtures.flickrImages().resolve(file).toFile());
        BufferedImage small = new BufferedImage(original.getWidth() / 2, original.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(original, 0, 0, small.getWidth(), small.getHeight(), null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(small, "jpg", out));
        return out.toByteArray();
    }

    @AfterClass
    public static void dropIndex() throws IOException {
        cluster.delete("/" + INDEX);
    }

    private static ClusterClient.Response search(String body) throws IOException {
        return cluster.post("/" + INDEX + "/_search", body);
    }

    /** In calibrated mode with the widest cosine band: no score is clamped, so no two hits tie and "the better copy" is defined. */
    private static String byImage(String id, String more) {
        String band = more.contains("\"fusion\"") ? "" : ", \"vector_calibration\": {\"cosine_low\": -1, \"cosine_high\": 1}";
        return "{\"clip_hybrid\": {\"query_image\": {\"index\": \"" + INDEX + "\", \"id\": \"" + id + "\"}, \"vector_field\": \"image_vector\""
            + band + more + "}}";
    }

    private static final String FOLD = ", \"fold_duplicates\": {\"cosine\": 0.95}";

    private record Hit(String id, double score, double[] vector) {}

    private static List<Hit> hits(ClusterClient.Response r) {
        assertEquals(r.raw(), 200, r.status());
        List<Hit> out = new ArrayList<>();
        for (Map<String, Object> hit : r.<List<Map<String, Object>>>path("hits.hits")) {
            Map<?, ?> source = (Map<?, ?>) hit.get("_source");
            List<?> v = source == null ? null : (List<?>) source.get("image_vector");
            double[] vector = null;
            if (v != null) {
                vector = new double[v.size()];
                double norm = 0;
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = ((Number) v.get(i)).doubleValue();
                    norm += vector[i] * vector[i];
                }
                for (int i = 0; i < vector.length; i++) {
                    vector[i] /= Math.sqrt(norm);
                }
            }
            out.add(new Hit((String) hit.get("_id"), ((Number) hit.get("_score")).doubleValue(), vector));
        }
        return out;
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /** The reference: the greedy fold of the unfolded ranking, each hit compared with the hits kept above it. */
    private static List<Hit> folded(List<Hit> ranked, double threshold) {
        List<Hit> kept = new ArrayList<>();
        for (Hit hit : ranked) {
            if (kept.stream().noneMatch(k -> cosine(k.vector(), hit.vector()) >= threshold - 1e-6)) {
                kept.add(hit);
            }
        }
        return kept;
    }

    private static List<String> ids(List<Hit> hits) {
        return hits.stream().map(Hit::id).toList();
    }

    private static void assertFoldedLike(List<Hit> unfolded, List<Hit> foldedHits, int size) {
        List<Hit> expected = folded(unfolded, 0.95);
        expected = expected.subList(0, Math.min(size, expected.size()));
        assertEquals(ids(expected), ids(foldedHits));
        for (int i = 0; i < expected.size(); i++) {
            // folding filters; it never changes a kept hit's score
            assertEquals(expected.get(i).id(), expected.get(i).score(), foldedHits.get(i).score(), 0);
        }
    }

    @Test
    public void aHalfSizeCopyIsFoldedIntoTheOriginal() throws IOException {
        String original = files.get(1), copy = "copy-" + original;
        List<Hit> unfolded = hits(search("{\"size\": 100, \"_source\": [\"image_vector\"], \"query\": " + byImage(original, "") + "}"));
        assertEquals(original, unfolded.get(0).id());
        assertTrue("without the option both renditions rank at the top: " + ids(unfolded.subList(0, 5)), ids(unfolded.subList(0, 5)).contains(copy));
        double[] a = unfolded.get(0).vector(), b = unfolded.stream().filter(h -> h.id().equals(copy)).findFirst().orElseThrow().vector();
        assertTrue("the model sees a half-size rendition as the same picture: cosine " + cosine(a, b), cosine(a, b) >= 0.95);
        List<Hit> foldedHits = hits(search("{\"size\": 20, \"_source\": [\"image_vector\"], \"query\": " + byImage(original, FOLD) + "}"));
        assertEquals(original, foldedHits.get(0).id());
        assertFalse(ids(foldedHits).toString(), ids(foldedHits).contains(copy));
        assertFoldedLike(unfolded, foldedHits, 20);
    }

    @Test
    public void identicalBytesKeepOneOfTheTwo() throws IOException {
        String original = files.get(0);
        List<Hit> unfolded = hits(search("{\"size\": 100, \"_source\": [\"image_vector\"], \"query\": " + byImage(original, "") + "}"));
        assertTrue(ids(unfolded.subList(0, 2)).toString(), ids(unfolded.subList(0, 2)).containsAll(List.of(original, "copy-" + original)));
        List<String> foldedIds = ids(hits(search("{\"size\": 10, \"query\": " + byImage(original, FOLD) + "}")));
        assertEquals(foldedIds.toString(), 1, foldedIds.stream().filter(id -> id.endsWith(original)).count());
    }

    @Test
    public void aTextQueryShowsNoPictureTwice() throws IOException {
        String query = "{\"clip_hybrid\": {\"query_text\": \"a dog\", \"vector_field\": \"image_vector\", \"k\": 40,"
            + " \"vector_calibration\": {\"cosine_low\": -1, \"cosine_high\": 1}";
        List<Hit> unfolded = hits(search("{\"size\": 100, \"_source\": [\"image_vector\"], \"query\": " + query + "}}}"));
        List<Hit> foldedHits = hits(search("{\"size\": 33, \"query\": " + query + FOLD + "}}}"));
        assertFoldedLike(unfolded, foldedHits, 33);
        // the three copies fold; none of the 30 distinct photos is anyone's near-duplicate at the default cosine
        assertEquals(ids(foldedHits).toString(), 30, foldedHits.size());
        // aggregations count the folded window too
        ClusterClient.Response aggs = search("{\"size\": 0, \"track_total_hits\": true, \"aggs\": {\"t\": {\"terms\": {\"field\": \"tags.raw\"}}},"
            + " \"query\": " + query + FOLD + "}}}");
        assertEquals(aggs.raw(), 200, aggs.status());
        assertEquals(aggs.raw(), 30, ((Number) aggs.path("hits.total.value")).intValue());
        for (Map<String, Object> bucket : aggs.<List<Map<String, Object>>>path("aggregations.t.buckets")) {
            assertEquals(aggs.raw(), bucket.get("key").equals("pair") ? 3 : 27, ((Number) bucket.get("doc_count")).intValue());
        }
        for (int i = 0; i < 3; i++) {
            assertFalse(ids(foldedHits).toString(), ids(foldedHits).containsAll(List.of(files.get(i), "copy-" + files.get(i))));
        }
    }

    @Test
    public void insideABoolWithAFilter() throws IOException {
        String filter = "\"filter\": {\"term\": {\"tags.raw\": \"pair\"}}";
        List<String> unfolded = ids(hits(search("{\"size\": 10, \"query\": {\"bool\": {\"must\": " + byImage(files.get(1), "") + ", " + filter + "}}}")));
        assertEquals(unfolded.toString(), 6, unfolded.size());
        List<String> foldedIds = ids(hits(search("{\"size\": 10, \"query\": {\"bool\": {\"must\": " + byImage(files.get(1), FOLD) + ", " + filter + "}}}")));
        assertEquals(foldedIds.toString(), 3, foldedIds.size());
        for (String id : foldedIds) {
            assertTrue(foldedIds.toString(), id.startsWith("copy-") == false || foldedIds.contains(id.substring(5)) == false);
        }
        assertEquals(files.get(1), foldedIds.get(0));
    }

    @Test
    public void rankModesFoldTheFusedList() throws IOException {
        String rrf = ", \"text_fields\": [\"tags\"], \"query_text\": \"pair\", \"fusion\": \"rrf\"";
        List<Hit> unfolded = hits(search("{\"size\": 60, \"_source\": [\"image_vector\"], \"query\": " + byImage(files.get(2), rrf) + "}"));
        List<Hit> foldedHits = hits(search("{\"size\": 20, \"query\": " + byImage(files.get(2), rrf + FOLD) + "}"));
        assertFoldedLike(unfolded, foldedHits, 20);
        assertFalse(ids(foldedHits).contains("copy-" + files.get(2)));
    }

    @Test
    public void explainCountsWhatAKeptHitStandsFor() throws IOException {
        String raw = search("{\"size\": 1, \"explain\": true, \"query\": " + byImage(files.get(1), FOLD) + "}").raw();
        assertTrue(raw, raw.contains("folded 1 near-duplicate into it"));
    }

    @Test
    public void pagingPastTheWindowOrScrollingIsA400() throws IOException {
        ClusterClient.Response deep = search("{\"from\": 95, \"size\": 10, \"query\": " + byImage(files.get(1), FOLD) + "}");
        assertEquals(deep.raw(), 400, deep.status());
        assertTrue(deep.raw(), deep.raw().contains("from + size = 105: raise [fold_duplicates.window]"));
        ClusterClient.Response wide = search("{\"from\": 95, \"size\": 10, \"query\": "
            + byImage(files.get(1), ", \"fold_duplicates\": {\"window\": 105}") + "}");
        assertEquals(wide.raw(), 200, wide.status());
        ClusterClient.Response scroll = cluster.post("/" + INDEX + "/_search?scroll=1m", "{\"size\": 5, \"query\": " + byImage(files.get(1), FOLD) + "}");
        assertEquals(scroll.raw(), 400, scroll.status());
        assertTrue(scroll.raw(), scroll.raw().contains("does not support scroll"));
        ClusterClient.Response bad = search("{\"query\": " + byImage(files.get(1), ", \"fold_duplicates\": {\"cosine\": 2}") + "}");
        assertEquals(bad.raw(), 400, bad.status());
        assertTrue(bad.raw(), bad.raw().contains("[fold_duplicates.cosine] must be in (0, 1], got 2.0"));
    }
}
