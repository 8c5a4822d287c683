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
 * Other families through the node's own paths: the IT cluster serves the synthetic SigLIP, SigLIP 2, Immich multilingual
 * and Immich NLLB-SigLIP exports beside mini-clip (pom.xml's --extra-model), and {@code _embed}, {@code clip_embedding}, {@code clip_zero_shot} and
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


    /** The model's entry in GET _plugins/clip/models. */
    private Map<String, Object> listed(String model) throws IOException {
        ClusterClient.Response models = cluster.get("/_plugins/clip/models");
        return models.<List<Map<String, Object>>>path("models")
            .stream()
            .filter(m -> model.equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(models.raw()));
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

        Map<String, Object> listed = listed(model);
        assertEquals(String.valueOf(listed), family, listed.get("family"));
        assertEquals(String.valueOf(listed), layout, listed.get("layout"));
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

    @Test
    public void nllbExportEmbedsThroughTheNode() throws IOException {
        embedsAsTheGoldenSays("immich-nllb-tiny", "siglip", "openclip");
    }

    private ClusterClient.Response embedNllb(String text, String language) throws IOException {
        return cluster.post(
            "/_plugins/clip/_embed",
            "{\"model\": \"immich-nllb-tiny\", \"texts\": [" + quote(text) + "]" + (language == null ? "" : ", \"language\": " + quote(language)) + "}"
        );
    }

    /**
     * NLLB reads the text's language as a FLORES-200 code: each golden text in its language through {@code _embed}, the
     * model's language setting as the default, and clear 400s for a code the tokenizer lacks or a model that reads none.
     */
    @Test
    @SuppressWarnings("unchecked")
    public void nllbTextsAreReadInTheirLanguage() throws IOException {
        List<Map<String, Object>> texts = (List<Map<String, Object>>) golden("immich-nllb-tiny").get("texts");
        Map<String, Object> german = null;
        for (Map<String, Object> text : texts) {
            String language = (String) text.get("language");
            if (language == null) {
                continue;
            }
            german = "deu_Latn".equals(language) ? text : german;
            ClusterClient.Response r = embedNllb((String) text.get("text"), language);
            assertEquals(r.raw(), 200, r.status());
            double cosine = ClusterClient.cosine((List<?>) text.get("embedding"), r.path("texts.0.embedding"));
            assertTrue(text.get("text") + " in " + language + ": cosine " + cosine, cosine >= 0.9999);
        }
        assertTrue("the goldens have a German text", german != null);
        String germanText = (String) german.get("text");
        ClusterClient.Response asDefault = embedNllb(germanText, null);
        assertTrue(
            "without a language the tokenizer's own (eng_Latn) is used",
            ClusterClient.cosine((List<?>) german.get("embedding"), asDefault.path("texts.0.embedding")) < 0.9999
        );

        String key = "plugins.clip.models.immich-nllb-tiny.language";
        ClusterClient.Response set = cluster.put("/_cluster/settings", "{\"persistent\": {\"" + key + "\": \"deu_Latn\"}}");
        assertEquals(set.raw(), 200, set.status());
        try {
            ClusterClient.Response bySetting = embedNllb(germanText, null);
            assertEquals(bySetting.raw(), 200, bySetting.status());
            double cosine = ClusterClient.cosine((List<?>) german.get("embedding"), bySetting.path("texts.0.embedding"));
            assertTrue("the model's language setting is the default: cosine " + cosine, cosine >= 0.9999);
            ClusterClient.Response settings = cluster.get("/_plugins/clip/models/immich-nllb-tiny/_settings");
            assertEquals(settings.raw(), "deu_Latn", settings.path("effective.settings.language.value"));
        } finally {
            cluster.put("/_cluster/settings", "{\"persistent\": {\"" + key + "\": null}}");
        }
        ClusterClient.Response badSetting = cluster.put("/_cluster/settings", "{\"persistent\": {\"" + key + "\": \"german\"}}");
        assertEquals(badSetting.raw(), 400, badSetting.status());

        Map<String, Object> nllb = listed("immich-nllb-tiny");
        assertEquals(String.valueOf(nllb), List.of("arb_Arab", "deu_Latn", "eng_Latn", "fra_Latn", "jpn_Jpan", "rus_Cyrl", "spa_Latn", "zho_Hans"),
            nllb.get("languages"));

        ClusterClient.Response unknown = embedNllb("x", "kor_Hang");
        assertEquals(unknown.raw(), 400, unknown.status());
        assertTrue(unknown.raw(), unknown.raw().contains("[language] [kor_Hang] is not a language of CLIP model [immich-nllb-tiny]"));
        ClusterClient.Response none = cluster.post(
            "/_plugins/clip/_embed",
            "{\"model\": \"immich-mclip-tiny\", \"texts\": [\"x\"], \"language\": \"deu_Latn\"}"
        );
        assertEquals(none.raw(), 400, none.status());
        assertTrue(none.raw(), none.raw().contains("reads no language code; only NLLB text towers do"));
    }

    /** clip_hybrid's [language] reaches the encoder: a German query finds the picture, an unknown code is a 400. */
    @Test
    public void nllbQueriesTakeALanguage() throws IOException {
        String index = "families-nllb";
        cluster.delete("/" + index);
        ClusterClient.Response pipeline = cluster.put("/_ingest/pipeline/families-nllb", """
            {"processors": [{"clip_embedding": {"field": "image", "target_field": "image_vector", "model": "immich-nllb-tiny"}},
              {"remove": {"field": "image"}}]}""");
        assertEquals(pipeline.raw(), 200, pipeline.status());
        ClusterClient.Response created = cluster.put("/" + index, """
            {"settings": {"index.knn": true, "number_of_shards": 1, "number_of_replicas": 0,
              "index.default_pipeline": "families-nllb"},
             "mappings": {"properties": {"title": {"type": "text"},
               "image_vector": {"type": "knn_vector", "dimension": 20, "space_type": "cosinesimil",
                 "method": {"name": "hnsw", "engine": "lucene"}}}}}""");
        assertEquals(created.raw(), 200, created.status());
        Map<String, Object> nllb = listed("immich-nllb-tiny");
        // the pipelines that run the model, with the indices that run them by default
        assertEquals(String.valueOf(nllb), List.of(Map.of("pipeline", "families-nllb", "indices", List.of(index))), nllb.get("pipelines"));
        ClusterClient.Response indexed = cluster.put(
            "/" + index + "/_doc/one?refresh=true",
            "{\"image\": \"" + base64("immich-nllb-tiny", "../images/wide.png") + "\", \"title\": \"ohne Titel\"}"
        );
        assertEquals(indexed.raw(), 201, indexed.status());
        String query = "{\"query\": {\"clip_hybrid\": {\"query_text\": \"ein Hund am Strand\", \"model\": \"immich-nllb-tiny\","
            + " \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"], \"language\": \"%s\"}}}";
        ClusterClient.Response found = cluster.post("/" + index + "/_search", query.formatted("deu_Latn"));
        assertEquals(found.raw(), 200, found.status());
        assertEquals(found.raw(), "one", found.path("hits.hits.0._id"));
        ClusterClient.Response unknown = cluster.post("/" + index + "/_search", query.formatted("kor_Hang"));
        assertEquals(unknown.raw(), 400, unknown.status());
        assertTrue(unknown.raw(), unknown.raw().contains("[language] [kor_Hang] is not a language of CLIP model [immich-nllb-tiny]"));
        ClusterClient.Response malformed = cluster.post("/" + index + "/_search", query.formatted("Deutsch"));
        assertEquals(malformed.raw(), 400, malformed.status());
        assertTrue(malformed.raw(), malformed.raw().contains("[clip_hybrid] [language] must be a FLORES-200 code"));
    }
}
