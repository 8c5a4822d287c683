package org.opensearch.cliphybrid.query.fusion;

import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

public class RankFusionTests extends OpenSearchTestCase {
    private static final Ranked VECTOR = new Ranked(new long[] { 7, 3, 5 }, new float[] { 0.9f, 0.8f, 0.6f });
    private static final Ranked TEXT = new Ranked(new long[] { 3, 9 }, new float[] { 12f, 4f });

    public void testRrfSumsReciprocalRanksOverBothLists() {
        List<Fused> fused = RankFusion.rrf(60, Weights.EQUAL).fuse(VECTOR, TEXT);
        assertEquals(4, fused.size());
        assertEquals(3, fused.get(0).key());
        assertEquals(1.0 / 62 + 1.0 / 61, fused.get(0).score(), 1e-7);
        assertArrayEquals(new int[] { 2, 1 }, fused.get(0).ranks());
        assertEquals(7, fused.get(1).key());
        assertEquals(1.0 / 61, fused.get(1).score(), 1e-7);
        assertArrayEquals(new int[] { 1, 0 }, fused.get(1).ranks());
        assertTrue(Float.isNaN(fused.get(1).rawScores()[1]));
        assertEquals(0f, fused.get(1).sideScores()[1], 0f);
        // 9 (text rank 2) and 5 (vector rank 3): rank 2 beats rank 3
        assertEquals(9, fused.get(2).key());
        assertEquals(5, fused.get(3).key());
    }

    public void testRrfWeightsScaleEachSidesTerm() {
        List<Fused> fused = RankFusion.rrf(60, new Weights(1f, 3f)).fuse(VECTOR, TEXT);
        assertEquals(3, fused.get(0).key());
        assertEquals(1.0 / 62 + 3.0 / 61, fused.get(0).score(), 1e-7);
        // text rank 2 with weight 3 now beats vector rank 1
        assertEquals(9, fused.get(1).key());
    }

    public void testLinearMinMaxIsTheWeightedMeanOfNormalizedScores() {
        List<Fused> fused = RankFusion.linear(Normalization.MIN_MAX, new Weights(1f, 1f)).fuse(VECTOR, TEXT);
        // vector: 7 -> 1, 3 -> (0.8-0.6)/0.3, 5 -> floor 0.001; text: 3 -> 1, 9 -> floor 0.001
        Fused three = fused.get(0);
        assertEquals(3, three.key());
        assertEquals(((0.8 - 0.6) / 0.3 + 1) / 2, three.score(), 1e-6);
        Fused seven = fused.get(1);
        assertEquals(7, seven.key());
        assertEquals(0.5, seven.score(), 1e-6);
        assertEquals(0.001f / 2, (float) fused.get(2).score(), 1e-6);
    }

    public void testNormalizations() {
        float[] scores = { 4f, 2f, 0f };
        assertArrayEquals(new float[] { 1f, 0.5f, 0.001f }, Normalization.MIN_MAX.apply(scores), 1e-6f);
        assertArrayEquals(new float[] { 1f }, Normalization.MIN_MAX.apply(new float[] { 3f }), 0f);
        double std = Math.sqrt(8.0 / 3);
        assertArrayEquals(new float[] { (float) (2 / std), 0f, (float) (-2 / std) }, Normalization.Z_SCORE.apply(scores), 1e-6f);
        assertArrayEquals(new float[] { 0.8944272f, 0.4472136f, 0f }, Normalization.L2.apply(scores), 1e-6f);
        assertEquals(Normalization.Z_SCORE, OptionNames.parse(Normalization.class, "normalization", "z_score"));
        expectThrows(IllegalArgumentException.class, () -> OptionNames.parse(Normalization.class, "normalization", "softmax"));
    }

    public void testTiesBreakOnTheSmallerKey() {
        Ranked a = new Ranked(new long[] { 4 }, new float[] { 1f });
        Ranked b = new Ranked(new long[] { 2 }, new float[] { 1f });
        List<Fused> fused = RankFusion.rrf(10, Weights.EQUAL).fuse(a, b);
        assertEquals(2, fused.get(0).key());
        assertEquals(4, fused.get(1).key());
    }

    public void testEmptyListsFuseToNothing() {
        assertTrue(RankFusion.rrf(60, Weights.EQUAL).fuse(Ranked.empty(), Ranked.empty()).isEmpty());
        assertTrue(RankFusion.linear(Normalization.L2, Weights.EQUAL).fuse(Ranked.empty(), Ranked.empty()).isEmpty());
    }

    public void testRejectsBadParameters() {
        expectThrows(IllegalArgumentException.class, () -> RankFusion.rrf(0, Weights.EQUAL));
        expectThrows(IllegalArgumentException.class, () -> new Weights(0f, 0f));
        expectThrows(IllegalArgumentException.class, () -> new Weights(-1f, 1f));
        expectThrows(IllegalArgumentException.class, () -> new Weights(Float.NaN, 1f));
    }

    public void testCalibrationGivesEachSideLogOdds() {
        Calibration c = new Calibration(0.1f, 0.3f, 0.5f);
        assertEquals(-1f, c.vector(0.1f), 1e-6f);
        assertEquals(0f, c.vector(0.2f), 1e-6f);
        assertEquals(1f, c.vector(0.3f), 1e-6f);
        assertEquals("no vector: as far as a cosine can be", c.vector(-1f), c.vector(Float.NaN), 0f);
        assertEquals(-5f, c.text(0f, 10f), 0f);
        assertEquals(0f, c.text(5f, 10f), 0f);
        assertEquals(5f, c.text(10f, 10f), 0f);
        assertEquals(7f, c.bm25For(2f, 10f), 0f);
        assertEquals(0.5f, Calibration.score(0f), 0f);
        assertEquals(2f, Calibration.evidence(Calibration.score(2f)), 1e-5f);
        expectThrows(IllegalArgumentException.class, () -> new Calibration(0.3f, 0.1f, 0.5f));
        expectThrows(IllegalArgumentException.class, () -> new Calibration(0.1f, 0.3f, 1.5f));
        expectThrows(IllegalArgumentException.class, () -> new Calibration(0.1f, 0.3f, -0.1f));
    }

    public void testCalibrationChecksNameTheOptionAndTheValue() {
        Calibration.checkBand(-1f, 1f);
        Calibration.checkFloor(0.5f);
        assertEquals(
            "[vector_calibration] needs -1 <= cosine_low < cosine_high <= 1, got [0.2, 0.2]",
            expectThrows(IllegalArgumentException.class, () -> Calibration.checkBand(0.2f, 0.2f)).getMessage()
        );
        assertEquals(
            "[text_floor] must be between 0 and 1 (a fraction of the best BM25), got Infinity",
            expectThrows(IllegalArgumentException.class, () -> Calibration.checkFloor(Float.POSITIVE_INFINITY)).getMessage()
        );
    }
}
