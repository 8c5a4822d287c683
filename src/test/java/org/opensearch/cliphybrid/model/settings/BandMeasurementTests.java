package org.opensearch.cliphybrid.model.settings;

import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Random;

public class BandMeasurementTests extends OpenSearchTestCase {
    public void testPercentilesAreThoseOfPythonsStatisticsQuantiles() {
        // statistics.quantiles(xs, n=20) gives 0.7 at p75, 0.94 at p95 and -0.04 at p5 for these
        double[] xs = { 0.1, 0.5, 0.3, 0.9, 0.2, 0.7, 0.4, 0.8, 0.6, 0.0, 0.35 };
        assertEquals(0.7, BandMeasurement.twentieth(xs, 15), 1e-12);
        assertEquals(0.94, BandMeasurement.twentieth(xs, 19), 1e-12);
        assertEquals(-0.04, BandMeasurement.twentieth(xs, 1), 1e-12);
    }

    /** Texts close to their own document's vector: the band sits above the unrelated pairs' cosines and below 1. */
    public void testMatchingTextsGiveABandBetweenUnrelatedAndMatchingCosines() {
        Random random = new Random(7);
        int n = 100, dim = 64;
        float[][] vectors = new float[n][], texts = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = unit(random, dim);
            float[] noise = unit(random, dim);
            texts[i] = new float[dim];
            for (int d = 0; d < dim; d++) {
                texts[i][d] = 0.4f * vectors[i][d] + noise[d];
            }
            Vectors.normalise(texts[i]);
        }
        BandMeasurement.Result result = BandMeasurement.measure(texts, vectors);
        assertEquals(n, result.matchingPairs());
        assertEquals(n * BandMeasurement.SHIFTS, result.nonMatchingPairs());
        // random unit vectors in 64 dimensions have cosines of about ±0.12; matching pairs about 0.37
        assertTrue(result.low() + " " + result.high(), result.low() > 0.02 && result.low() < 0.25);
        assertTrue(result.low() + " " + result.high(), result.high() > 0.35 && result.high() < 0.8);
    }

    public void testTextsThatMatchTheirOwnDocumentsNoBetterThanOthersAreRefused() {
        Random random = new Random(3);
        float[] one = unit(random, 8);
        float[][] same = new float[20][];
        for (int i = 0; i < 20; i++) {
            same[i] = one.clone();
        }
        // every pair has the same cosine: the band would be empty
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> BandMeasurement.measure(same, same));
        assertTrue(e.getMessage(), e.getMessage().contains("no better than others"));
    }

    public void testTooSmallASampleIsRefused() {
        float[][] few = { { 1, 0 }, { 0, 1 } };
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> BandMeasurement.measure(few, few));
        assertTrue(e.getMessage(), e.getMessage().contains("at least 10") && e.getMessage().contains("found 2"));
    }

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return Vectors.normalise(v);
    }

    private static MeasureBandRequest parse(String json) throws IOException {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            return MeasureBandRequest.parse("mini-clip", parser);
        }
    }

    public void testTheRequestIsBoundedAndNamesTheFieldItRefuses() throws IOException {
        MeasureBandRequest r = parse("{\"index\": \"i\", \"vector_field\": \"v\", \"text_field\": \"t\"}");
        assertEquals(MeasureBandRequest.DEFAULT_SAMPLE_SIZE, r.sampleSize());
        assertFalse(r.store());
        String message = expectThrows(
            IllegalArgumentException.class,
            () -> parse("{\"index\": \"i\", \"vector_field\": \"v\", \"text_field\": \"t\", \"sample_size\": 5000}")
        ).getMessage();
        assertTrue(message, message.contains("[sample_size]") && message.contains("2000") && message.contains("5000"));
        message = expectThrows(IllegalArgumentException.class, () -> parse("{\"index\": \"i\", \"vector_field\": \"v\"}")).getMessage();
        assertTrue(message, message.contains("[text_field]"));
        message = expectThrows(
            IllegalArgumentException.class,
            () -> parse("{\"index\": \"i\", \"vector_field\": \"v\", \"text_field\": \"t\", \"size\": 3}")
        ).getMessage();
        assertTrue(message, message.contains("[size]"));
    }
}
