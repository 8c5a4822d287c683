package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Collections;
import java.util.List;

/** How the query's embeddings become the one vector it searches: the weighted sum's direction. */
public class QueryEncoderTests extends OpenSearchTestCase {
    private static float[] randomUnit(int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = randomFloat() * 2 - 1;
        }
        return Vectors.normalise(v);
    }

    /** The mean direction as the encoder computed it before texts had weights. */
    private static float[] plainMeanDirection(float[][] vectors) {
        float[] mean = new float[vectors[0].length];
        for (float[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i];
            }
        }
        return Vectors.normalise(mean);
    }

    public void testEqualWeightsGiveTheMeanDirectionToTheBit() {
        for (int round = 0; round < 50; round++) {
            float[][] vectors = new float[randomIntBetween(2, 17)][];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = randomUnit(256);
            }
            float[] expected = plainMeanDirection(vectors);
            float[] actual = QueryEncoder.weightedDirection(vectors, Collections.nCopies(vectors.length, 1f));
            assertArrayEquals(expected, actual, 0f);
        }
    }

    public void testOnePositiveVectorIsSearchedAsItIs() {
        float[] v = randomUnit(64);
        assertSame(v, QueryEncoder.weightedDirection(new float[][] { v }, List.of(1f)));
        assertSame("a positive weight does not turn a direction", v, QueryEncoder.weightedDirection(new float[][] { v }, List.of(3.5f)));
    }

    public void testWeightsScaleEachEmbeddingBeforeTheSum() {
        float[] dog = randomUnit(128), leash = randomUnit(128), image = randomUnit(128);
        float[] actual = QueryEncoder.weightedDirection(new float[][] { dog.clone(), leash.clone(), image.clone() }, List.of(2f, -0.5f, 1f));
        float[] expected = new float[128];
        double dotDog = 0, dotLeash = 0;
        for (int i = 0; i < 128; i++) {
            expected[i] = 2f * dog[i] - 0.5f * leash[i] + image[i];
        }
        Vectors.normalise(expected);
        assertArrayEquals(expected, actual, 1e-6f);
        assertEquals(1.0, Vectors.length(actual), 1e-5);
        // pushed away from the negative text: the query leans less towards it than the unweighted mean does
        float[] unweighted = QueryEncoder.weightedDirection(new float[][] { dog, leash, image }, List.of(1f, 1f, 1f));
        double before = 0, after = 0;
        for (int i = 0; i < 128; i++) {
            before += unweighted[i] * leash[i];
            after += actual[i] * leash[i];
            dotDog += actual[i] * dog[i];
        }
        assertTrue(after + " < " + before, after < before);
        assertTrue(dotDog > 0);
    }

    public void testTextsThatCancelOutAreRefused() {
        float[] dog = randomUnit(64);
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> QueryEncoder.weightedDirection(new float[][] { dog.clone(), dog.clone() }, List.of(1f, -1f))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("[clip_hybrid] [query_text] weights cancel out"));
        float[] nearlyDog = dog.clone();
        nearlyDog[0] += 1e-5f;
        Vectors.normalise(nearlyDog);
        expectThrows(IllegalArgumentException.class, () -> QueryEncoder.weightedDirection(new float[][] { dog, nearlyDog }, List.of(2f, -2f)));
        float[] other = randomUnit(64);
        QueryEncoder.weightedDirection(new float[][] { dog, other }, List.of(1f, -1f));
    }
}
