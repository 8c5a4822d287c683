package org.opensearch.cliphybrid.it;

import org.junit.Test;
import org.opensearch.cliphybrid.model.ModelFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Other families through the node's own paths: the IT cluster serves the synthetic SigLIP, SigLIP 2 and Immich
 * multilingual exports beside mini-clip (pom.xml's --extra-model), and {@code _embed}, {@code clip_embedding}, {@code clip_zero_shot} and
 * {@code clip_hybrid} reach them by name and reproduce the goldens made outside Java.
 */
public class ModelFamiliesIT {
    private static final Path FAMILIES = Path.of("src/test/resources/families");
    private static final String INDEX = "families-siglip";
    private final ClusterClient cluster = new ClusterClient();

    private static Map<String, Object> golden(String model) {
        return ModelFolder.readJson(FAMILIES.resolve(model).resolve("golden.json"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> golden, String key) {
        return ((List<Map<String, Object>>) golden.get(key)).get(0);
    }

    private static String base64(String model, String file) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(FAMILIES.resolve(model).resolve(file).normalize()));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }


    private void embedsAsTheGoldenSays(String model, String family, String layout) throws IOException {
        Map<String, Object> golden = golden(model);
        Map<String, Object> text = first(golden, "texts"), image = first(golden, "images");
        ClusterClient.Response r = cluster.post(
            "/_plugins/clip/_embed",
            "{\"model\": \"" + model + "\", \"texts\": [" + quote((String) text.get("text")) + "], \"images\": [\""
                + base64(model, (String) image.get("file")) + "\"]}"
        );
        assertEquals(r.raw(), 200, r.status());
        assertEquals(r.raw(), ((Number) golden.get("dimension")).intValue(), r.<Number>path("dimension").intValue());
        double textCosine = ClusterClient.cosine((List<?>) text.get("embedding"), r.path("texts.0.embedding"));
        double imageCosine = ClusterClient.cosine((List<?>) image.get("embedding"), r.path("images.0.embedding"));
        assertTrue(model + " text cosine " + textCosine, textCosine >= 0.9999);
        assertTrue(model + " image cosine " + imageCosine, imageCosine >= 0.9999);

        ClusterClient.Response models = cluster.get("/_plugins/clip/models");
        Map<String, Object> listed = models.<List<Map<String, Object>>>path("models")
            .stream()
            .filter(m -> model.equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(models.raw()));
        assertEquals(models.raw(), family, listed.get("family"));
        assertEquals(models.raw(), layout, listed.get("layout"));
    }

    @Test
    public void siglipSplitExportEmbedsThroughTheNode() throws IOException {
        embedsAsTheGoldenSays("siglip-tiny", "siglip", "hugging_face");
    }

    @Test
    public void siglip2SplitExportEmbedsThroughTheNode() throws IOException {
        embedsAsTheGoldenSays("siglip2-tiny", "siglip2", "hugging_face");
    }

    @Test
    public void immichMultilingualExportEmbedsThroughTheNode() throws IOException {
        embedsAsTheGoldenSays("immich-mclip-tiny", "multilingual_clip", "openclip");
    }

    /** SigLIP labels are independent sigmoids: the golden's probabilities, which need not sum to one. */
    @Test
    @SuppressWarnings("unchecked")
    public void siglipLabelsUseItsSigmoidAndItsVectorsAreSearchable() throws IOException {
        Map<String, Object> golden = golden("siglip-tiny");
        Map<String, Object> shot = first(golden, "zero_shot");
        List<String> labels = (List<String>) shot.get("labels");
        List<Number> expected = (List<Number>) shot.get("probabilities");
        int dimension = ((Number) golden.get("dimension")).intValue();
        cluster.delete("/" + INDEX);
        ClusterClient.Response created = cluster.put("/" + INDEX, """
            {"settings": {"index.knn": true, "number_of_shards": 1, "number_of_replicas": 0},
             "mappings": {"properties": {"title": {"type": "text"},
               "image_vector": {"type": "knn_vector", "dimension": %d, "space_type": "cosinesimil",
                 "method": {"name": "hnsw", "engine": "lucene"}}}}}""".formatted(dimension));
        assertEquals(created.raw(), 200, created.status());
        StringBuilder quoted = new StringBuilder();
        for (String label : labels) {
            quoted.append(quoted.isEmpty() ? "" : ",").append(quote(label));
        }
        ClusterClient.Response pipeline = cluster.put("/_ingest/pipeline/families-siglip", """
            {"processors": [
              {"clip_embedding": {"field": "image", "target_field": "image_vector", "model": "siglip-tiny"}},
              {"clip_zero_shot": {"field": "image_vector", "target_field": "labels", "model": "siglip-tiny", "labels": [%s],
                "templates": ["{}"], "top_k": %d, "add_scores": true}},
              {"remove": {"field": "image"}}]}""".formatted(quoted, labels.size()));
        assertEquals(pipeline.raw(), 200, pipeline.status());
        String image = base64("siglip-tiny", (String) shot.get("file"));
        ClusterClient.Response indexed = cluster.put(
            "/" + INDEX + "/_doc/one?pipeline=families-siglip&refresh=true",
            "{\"image\": \"" + image + "\", \"title\": \"untitled\"}"
        );
        assertEquals(indexed.raw(), 201, indexed.status());
        Map<String, Object> source = cluster.get("/" + INDEX + "/_doc/one").path("_source");
        List<String> gotLabels = (List<String>) source.get("labels");
        List<Number> gotScores = (List<Number>) source.get("labels_scores");
        for (int i = 0; i < labels.size(); i++) {
            int at = gotLabels.indexOf(labels.get(i));
            assertTrue(source.toString(), at >= 0);
            assertEquals(labels.get(i), expected.get(i).doubleValue(), gotScores.get(at).doubleValue(), 2e-3);
        }

        ClusterClient.Response found = cluster.post("/" + INDEX + "/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": "
            + quote(labels.get(0)) + ", \"model\": \"siglip-tiny\", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
        assertEquals(found.raw(), 200, found.status());
        assertEquals(found.raw(), "one", found.path("hits.hits.0._id"));
    }
}
