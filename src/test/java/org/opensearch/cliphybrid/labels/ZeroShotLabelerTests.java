package org.opensearch.cliphybrid.labels;

import org.opensearch.cliphybrid.model.ModelFamily;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.model.ScoreFunction;
import org.opensearch.cliphybrid.model.TowerSpec;
import org.opensearch.cliphybrid.model.text.TokenizerSpec;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

public class ZeroShotLabelerTests extends OpenSearchTestCase {

    public void testEnsembleIsTheRenormalisedMeanOfThePrompts() {
        float[] e = ZeroShotLabeler.ensemble(new float[][] { { 1, 0, 0 }, { 0, 1, 0 } });
        float h = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] { h, h, 0 }, e, 1e-6f);
        // one prompt: the ensemble is that prompt
        assertArrayEquals(new float[] { 0.6f, 0.8f }, ZeroShotLabeler.ensemble(new float[][] { { 0.6f, 0.8f } }), 1e-6f);
    }

    public void testProbabilitiesAreASoftmaxOfScaledCosines() {
        float[][] labels = { { 1, 0 }, { 0, 1 } };
        // an image at 60 degrees from label 0: cosines 0.5 and 0.866; the length of the image vector does not count
        float[] image = { 2f * 0.5f, 2f * (float) Math.sqrt(0.75) };
        double[] p = ZeroShotLabeler.probabilities(image, labels, new ScoreFunction.Softmax(10));
        double a = Math.exp(10 * 0.5), b = Math.exp(10 * Math.sqrt(0.75));
        assertEquals(a / (a + b), p[0], 1e-6);
        assertEquals(b / (a + b), p[1], 1e-6);
        assertEquals(1.0, p[0] + p[1], 1e-12);
        // a larger scale makes the same cosines more decided
        assertTrue(ZeroShotLabeler.probabilities(image, labels, new ScoreFunction.Softmax(100))[1] > p[1]);
    }

    public void testLargeLogitsDoNotOverflow() {
        double[] p = ZeroShotLabeler.probabilities(new float[] { 1, 0 }, new float[][] { { 1, 0 }, { -1, 0 } }, new ScoreFunction.Softmax(1000));
        assertEquals(1.0, p[0], 1e-12);
        assertEquals(0.0, p[1], 1e-12);
    }

    public void testAZeroVectorIsRefused() {
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ZeroShotLabeler.probabilities(new float[] { 0, 0 }, new float[][] { { 1, 0 } }, new ScoreFunction.Softmax(100))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("no direction"));
    }

    public void testTopKeepsTheMostProbableAboveTheMinimum() {
        List<String> labels = List.of("dog", "cat", "bird", "fish");
        double[] p = { 0.1, 0.5, 0.3, 0.1 };
        assertEquals(
            List.of(new ZeroShotLabeler.Label("cat", 0.5), new ZeroShotLabeler.Label("bird", 0.3)),
            ZeroShotLabeler.top(labels, p, 2, 0.0)
        );
        assertEquals(List.of(new ZeroShotLabeler.Label("cat", 0.5)), ZeroShotLabeler.top(labels, p, 3, 0.35));
        assertEquals(List.of(), ZeroShotLabeler.top(labels, p, 3, 0.6));
        // equal probabilities keep the configured order
        assertEquals("dog", ZeroShotLabeler.top(labels, p, 4, 0.0).get(2).label());
    }

    public void testLogitScaleComesFromTheModelConfigElseCLIPs100() {
        Path dir = createTempDir();
        assertEquals(15.2892, scale(folder(dir, Map.of("logit_scale", 15.2892))), 1e-9);
        assertEquals(100.0, scale(folder(dir, Map.of("logit_scale_init_value", 2.6592))), 1e-9);
        assertEquals(100.0, scale(folder(dir, Map.of())), 1e-9);
        // the mini-clip card's value, read from its real config.json
        Map<String, Object> miniClip = ModelFolder.readJson(SharedFixtures.miniClip().resolve("config.json"));
        assertEquals(15.2892, scale(folder(dir, miniClip)), 1e-4);
    }

    private static double scale(ModelFolder folder) {
        return ((ScoreFunction.Softmax) ZeroShotLabeler.scoreFunction(folder)).scale();
    }

    private static ModelFolder folder(Path dir, Map<String, Object> config) {
        TowerSpec tower = new TowerSpec(dir, List.of("input_ids"), false, "text_embeds");
        return new ModelFolder("m", dir, ModelFamily.CLIP, ModelFolder.Layout.HUGGING_FACE, tower, tower, TokenizerSpec.clip(dir), dir, config);
    }
}
