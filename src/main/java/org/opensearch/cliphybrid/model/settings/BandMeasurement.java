package org.opensearch.cliphybrid.model.settings;

import java.util.Arrays;

/**
 * The cosine band of a model on pairs of (a document's text embedding, the same document's image vector), as bench/cosine-band
 * defines it: {@code cosine_low} is the 75th percentile of non-matching pairs (each text with the vectors of other
 * documents), {@code cosine_high} the 95th percentile of each text's best cosine over the sample's vectors; the useful range
 * of cosines then spreads over the band. Percentiles are Python's {@code statistics.quantiles(n=20)} (the exclusive method),
 * so the numbers agree with the script's on the same pairs.
 */
public final class BandMeasurement {
    /** Non-matching pairs per text: the script pairs each caption with 5 random images; here the next 5 documents. */
    static final int SHIFTS = 5;
    /** Fewer pairs than this give percentiles that say little. */
    public static final int MIN_PAIRS = 10;

    public record Result(float low, float high, int matchingPairs, int nonMatchingPairs, double[] matched, double[] nonMatched, double[] best) {}

    private BandMeasurement() {}

    /**
     * @param texts unit text embeddings
     * @param vectors unit image vectors, {@code vectors[i]} the one of the document whose text is {@code texts[i]}
     */
    public static Result measure(float[][] texts, float[][] vectors) {
        int n = texts.length;
        if (n < MIN_PAIRS) {
            throw new IllegalArgumentException(
                "measuring a cosine band needs at least " + MIN_PAIRS + " documents with both a vector and a text, found " + n
            );
        }
        int shifts = Math.min(SHIFTS, n - 1);
        double[] matched = new double[n], best = new double[n], nonMatched = new double[n * shifts];
        for (int i = 0; i < n; i++) {
            matched[i] = dot(texts[i], vectors[i]);
            double top = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                top = Math.max(top, j == i ? matched[i] : dot(texts[i], vectors[j]));
            }
            best[i] = top;
            for (int s = 1; s <= shifts; s++) {
                nonMatched[i * shifts + s - 1] = dot(texts[i], vectors[(i + s) % n]);
            }
        }
        float low = (float) twentieth(nonMatched, 15), high = (float) twentieth(best, 19);
        if ((high > low) == false) {
            throw new IllegalArgumentException(
                "the sample's texts match their own documents' vectors no better than others' (best-match p95 " + high
                    + " <= non-matching p75 " + low + "): the texts do not describe the images, or the vectors are of another model"
            );
        }
        return new Result(Math.max(-1f, low), Math.min(1f, high), n, nonMatched.length, matched, nonMatched, best);
    }

    static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("a text embedding has " + a.length + " dimensions but the vector has " + b.length);
        }
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (double) a[d] * b[d];
        }
        return sum;
    }

    /** The {@code i}th of the 19 cut points {@code statistics.quantiles(values, n=20)} returns (1-based, as i/20). */
    static double twentieth(double[] values, int i) {
        double[] data = values.clone();
        Arrays.sort(data);
        int ld = data.length, n = 20, m = ld + 1;
        int j = i * m / n;
        j = j < 1 ? 1 : Math.min(j, ld - 1);
        int delta = i * m - j * n;
        return (data[j - 1] * (n - delta) + data[j] * delta) / n;
    }
}
