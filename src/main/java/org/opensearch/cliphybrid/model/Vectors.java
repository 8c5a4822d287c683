package org.opensearch.cliphybrid.model;

import java.util.List;

/** Unit vectors: the one place that measures and scales embeddings, so model output, queries and labels agree to the bit. */
public final class Vectors {
    private Vectors() {}

    /** The L2 length, summed in double: 512 float squares would lose the low bits that cosine scores compare. */
    public static double length(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        return Math.sqrt(squares);
    }

    /** Scales {@code v} to unit length in place and returns it; a vector of zeros stays zeros (it has no direction). */
    public static float[] normalise(float[] v) {
        double norm = length(v);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }

    /**
     * The floats of a vector read from a document's source, where JSON gives any kind of number.
     *
     * @param what names the value in the error, e.g. {@code [clip_zero_shot] field [embedding]}
     * @throws IllegalArgumentException naming the first element that is not a number
     */
    public static float[] fromList(List<?> values, String what) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            if (values.get(i) instanceof Number n) {
                vector[i] = n.floatValue();
            } else {
                throw new IllegalArgumentException(what + " must be a vector of numbers, but element " + i + " is [" + values.get(i) + "]");
            }
        }
        return vector;
    }
}
