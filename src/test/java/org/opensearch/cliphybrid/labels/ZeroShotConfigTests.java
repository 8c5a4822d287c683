package org.opensearch.cliphybrid.labels;

import org.opensearch.OpenSearchException;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.test.OpenSearchTestCase;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class ZeroShotConfigTests extends OpenSearchTestCase {

    private static ZeroShotConfig parse(Map<String, Object> options) {
        return ZeroShotConfig.parse("clip_zero_shot", "t", new HashMap<>(options));
    }

    public void testDefaults() {
        Map<String, Object> options = new HashMap<>(Map.of("labels", List.of("dog", "cat"), "target_field", "labels"));
        ZeroShotConfig c = ZeroShotConfig.parse("clip_zero_shot", "t", options);
        assertTrue("every option it read is removed, so the factory can refuse unknown ones", options.isEmpty());
        assertEquals(List.of("dog", "cat"), c.labels());
        assertEquals(ZeroShotConfig.DEFAULT_TEMPLATES, c.templates());
        assertEquals(1, c.topK());
        assertEquals(0.0, c.minProbability(), 0);
        assertFalse(c.addScores());
        assertNull(c.language());
        assertEquals("fra_Latn", parse(Map.of("labels", List.of("chien"), "language", "fra_Latn", "target_field", "x")).language());
        assertEquals("labels_scores", c.scoresField());
        assertEquals(List.of("a photo of a dog.", "a picture of a dog."), parse(
            Map.of("labels", List.of("dog"), "templates", List.of("a photo of a {}.", "a picture of a {}."), "target_field", "x")
        ).prompts("dog"));
    }

    public void testBadOptionsNameTheOption() {
        assertRefused(Map.of("labels", List.of(), "target_field", "x"), "[labels] must name at least one label");
        assertRefused(Map.of("labels", List.of("dog", "dog"), "target_field", "x"), "[labels] names [dog] twice");
        assertRefused(Map.of("labels", List.of("dog", 3), "target_field", "x"), "[labels] must be non-empty strings, got [3]");
        assertRefused(Map.of("labels", List.of("dog"), "templates", List.of("a dog"), "target_field", "x"), "[templates] each template");
        assertRefused(Map.of("labels", List.of("dog"), "top_k", 0, "target_field", "x"), "[top_k] must be at least 1");
        assertRefused(Map.of("labels", List.of("dog"), "min_probability", 1.5, "target_field", "x"), "[min_probability] must be within");
        assertRefused(Map.of("labels", List.of("dog")), "[target_field] required property is missing");
        assertRefused(Map.of("labels", List.of("dog"), "language", "fr", "target_field", "x"), "[language] must be a FLORES-200 code");
    }

    private static void assertRefused(Map<String, Object> options, String message) {
        OpenSearchException e = expectThrows(OpenSearchException.class, () -> parse(options));
        assertTrue(e.getMessage(), e.getMessage().contains(message));
    }

    public void testWriteLabelsAndScoresInTheSameOrder() {
        ZeroShotConfig c = parse(Map.of("labels", List.of("dog", "cat"), "target_field", "tags", "add_scores", true));
        IngestDocument doc = new IngestDocument(new HashMap<>(), new HashMap<>());
        c.write(doc, List.of(new ZeroShotLabeler.Label("cat", 0.75), new ZeroShotLabeler.Label("dog", 0.25)));
        assertEquals(List.of("cat", "dog"), doc.getFieldValue("tags", List.class));
        assertEquals(List.of(0.75, 0.25), doc.getFieldValue("tags_scores", List.class));
    }
}
