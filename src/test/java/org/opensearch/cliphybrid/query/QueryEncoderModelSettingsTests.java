package org.opensearch.cliphybrid.query;

import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.cliphybrid.labels.ZeroShotConfig;
import org.opensearch.cliphybrid.labels.ZeroShotLabeler;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.settings.ModelSettings;
import org.opensearch.cliphybrid.model.settings.ModelSettingsService;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.testing.InferenceFixture;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

/** clip_hybrid and zero-shot read the query model's per-model settings first, with the real mini-clip model. */
public class QueryEncoderModelSettingsTests extends OpenSearchTestCase {
    private static final Calibration NODE = new Calibration(0.15f, 0.35f, 0.5f);

    public void testThePerModelBandAndTemplateBeatTheFolderAndTheNode() throws Exception {
        try (InferenceFixture fixture = new InferenceFixture("model-settings", 10)) {
            QueryEncoder encoder = new QueryEncoder(() -> fixture.inference, () -> fixture.pipeline, () -> fixture.embedder, () -> NODE);
            PlainActionFuture<ClipModel> loaded = new PlainActionFuture<>();
            fixture.inference.execute(null, m -> m, loaded);
            ClipModel model = loaded.get();
            String name = model.name();
            // mini-clip's folder states no band: the node's
            assertNull(model.cosineBand());
            assertEquals(NODE, encoder.calibrationOf(null));

            encoder.modelSettingsFrom(
                new ModelSettingsService(
                    Settings.builder()
                        .put(ModelSettings.key(name, "cosine_low"), 0.05f)
                        .put(ModelSettings.key(name, "cosine_high"), 0.6f)
                        .put(ModelSettings.key(name, "prompt_template"), "a photo of {}")
                        .build()
                )
            );
            assertEquals(new Calibration(0.05f, 0.6f, NODE.textFloor()), encoder.calibrationOf(null));
            assertEquals(new Calibration(0.05f, 0.6f, NODE.textFloor()), encoder.calibrationOf(name));
            assertEquals("another model keeps the node's band", NODE, encoder.calibrationOf("other-model"));

            PlainActionFuture<QueryEncoder.ModelFacts> facts = new PlainActionFuture<>();
            encoder.modelFacts(null, List.of("dog"), facts);
            assertArrayEquals("the shards get the setting's band with the look-up", new float[] { 0.05f, 0.6f }, facts.get().cosineBand(), 0f);

            float[] withTemplate = encode(encoder, null);
            float[] explicit = encode(encoder, "{}");
            PlainActionFuture<float[]> photo = new PlainActionFuture<>();
            fixture.inference.embedText(null, "a photo of dog", null, photo);
            assertArrayEquals("no template in the request: the model's", photo.get(), withTemplate, 0f);
            PlainActionFuture<float[]> plain = new PlainActionFuture<>();
            fixture.inference.embedText(null, "dog", null, plain);
            assertArrayEquals("the request's own template wins", plain.get(), explicit, 0f);
        }
    }

    private static float[] encode(QueryEncoder encoder, String template) throws Exception {
        PlainActionFuture<float[]> out = new PlainActionFuture<>();
        encoder.encode(null, null, null, List.of(new WeightedText("dog")), template, null, null, null, "image_vector", out);
        return out.get();
    }

    public void testTheZeroShotScoreFunctionSettingChangesTheProbabilities() throws Exception {
        try (InferenceFixture fixture = new InferenceFixture("model-settings-labels", 10)) {
            PlainActionFuture<float[]> image = new PlainActionFuture<>();
            fixture.inference.embedText(null, "a dog on the grass", null, image);
            ZeroShotConfig config = new ZeroShotConfig(List.of("dog", "car", "tree"), List.of("a photo of a {}."), 3, 0, "labels", true, null);
            PlainActionFuture<List<ZeroShotLabeler.Label>> softmax = new PlainActionFuture<>();
            new ZeroShotLabeler(fixture.inference, new ModelSettingsService(Settings.EMPTY)).label(null, image.get(), config, softmax);
            double sum = softmax.get().stream().mapToDouble(ZeroShotLabeler.Label::probability).sum();
            assertEquals("the folder's softmax", 1.0, sum, 1e-6);

            PlainActionFuture<ClipModel> loaded = new PlainActionFuture<>();
            fixture.inference.execute(null, m -> m, loaded);
            String name = loaded.get().name();
            ModelSettingsService sigmoid = new ModelSettingsService(
                Settings.builder()
                    .put(ModelSettings.key(name, "score_function"), "sigmoid")
                    .put(ModelSettings.key(name, "logit_scale"), 2.0)
                    .put(ModelSettings.key(name, "logit_bias"), 0.0)
                    .build()
            );
            PlainActionFuture<List<ZeroShotLabeler.Label>> independent = new PlainActionFuture<>();
            new ZeroShotLabeler(fixture.inference, sigmoid).label(null, image.get(), config, independent);
            for (ZeroShotLabeler.Label label : independent.get()) {
                // sigmoid(e^2 × cosine) with |cosine| <= 1: within (0.0006, 0.9994), each label on its own
                assertTrue(label.toString(), label.probability() > 0.0006 && label.probability() < 0.9994);
            }
            double sigmoidSum = independent.get().stream().mapToDouble(ZeroShotLabeler.Label::probability).sum();
            assertNotEquals("independent sigmoids need not sum to 1", 1.0, sigmoidSum, 1e-3);
        }
    }
}
