package org.opensearch.cliphybrid.model;

import org.opensearch.test.OpenSearchTestCase;

/** CLIP's softmax compares labels; SigLIP's sigmoid judges each label alone, and its band is its own log-odds. */
public class ScoreFunctionTests extends OpenSearchTestCase {

    public void testSoftmaxSumsToOneAcrossLabels() {
        double[] p = new ScoreFunction.Softmax(100).probabilities(new double[] { 0.30, 0.28, 0.10 });
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
        assertEquals(1 / (1 + Math.exp(-2) + Math.exp(-20)), p[0], 1e-12);
        assertNull(new ScoreFunction.Softmax(100).cosineBand());
    }

    public void testSigmoidJudgesEachLabelAlone() {
        ScoreFunction siglip = new ScoreFunction.Sigmoid(Math.log(110), -16.5);
        double[] alone = siglip.probabilities(new double[] { 0.2 });
        double[] withOthers = siglip.probabilities(new double[] { 0.2, 0.9, -0.3 });
        assertEquals(alone[0], withOthers[0], 0);
        assertEquals(1 / (1 + Math.exp(-(110 * 0.2 - 16.5))), alone[0], 1e-12);
    }

    public void testSigmoidBandIsTheModelsOwnLogOdds() {
        ScoreFunction.Sigmoid siglip = new ScoreFunction.Sigmoid(Math.log(110), -16.5);
        float[] band = siglip.cosineBand();
        double mid = (band[0] + band[1]) / 2.0, half = (band[1] - band[0]) / 2.0;
        // the fusion reads a cosine's evidence as 2(cos - mid)/(high - low): that must be 110 cos - 16.5
        for (double cos : new double[] { -0.2, 0.1, 0.15, 0.4 }) {
            assertEquals(110 * cos - 16.5, (cos - mid) / half, 1e-4);
        }
        assertNull("even odds outside [-1, 1]: no band", new ScoreFunction.Sigmoid(0, 5).cosineBand());
    }
}
