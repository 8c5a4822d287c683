package org.opensearch.cliphybrid.model;

import org.opensearch.test.OpenSearchTestCase;

import java.util.Arrays;
import java.util.List;

public class VectorsTests extends OpenSearchTestCase {
    public void testNormaliseScalesInPlaceToUnitLength() {
        float[] v = { 3, 4 };
        assertSame(v, Vectors.normalise(v));
        assertArrayEquals(new float[] { 0.6f, 0.8f }, v, 1e-7f);
        assertEquals(1.0, Vectors.length(v), 1e-7);
    }

    public void testZeroVectorStaysZero() {
        float[] v = new float[4];
        Vectors.normalise(v);
        assertArrayEquals(new float[4], v, 0f);
    }

    public void testFromListReadsAnyNumber() {
        assertArrayEquals(new float[] { 1f, 2.5f, -3f }, Vectors.fromList(List.of(1, 2.5d, -3L), "[x]"), 0f);
    }

    public void testFromListNamesTheElementThatIsNotANumber() {
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> Vectors.fromList(Arrays.asList(0.1, "a"), "[clip_zero_shot] field [v]")
        );
        assertEquals("[clip_zero_shot] field [v] must be a vector of numbers, but element 1 is [a]", e.getMessage());
    }
}
