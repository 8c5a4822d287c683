package org.opensearch.cliphybrid.query.fusion;

/**
 * Composable mode's evidence of relevance, in log-odds, from what each document has to be judged on; it depends on the document
 * and the query alone, never on other hits:
 * <ul>
 * <li>vector: {@code 2 (cosine - mid) / (cosine_high - cosine_low)}, mid the band's middle. CLIP's text-image cosines live in
 * a narrow band whose place and width depend on the model, so the band is the model's own (or a request's) setting: across
 * it the evidence goes from -1 to +1;</li>
 * <li>text: {@code bm25 - text_floor * best}, where {@code best} is the best BM25 any document of the target reaches for
 * this query: a match far below what the words can find (a few common words) counts against a document, a match near the
 * best for it. A document with no text in the text fields gets 0: no text is not evidence against a picture.</li>
 * </ul>
 * BM25 is itself a sum of log-odds weights (each term's idf), which is why the text side needs no scale of its own.
 */
public record Calibration(float cosineLow, float cosineHigh, float textFloor) {
    public static final float DEFAULT_TEXT_FLOOR = 0.5f;

    public Calibration {
        checkBand(cosineLow, cosineHigh);
        checkFloor(textFloor);
    }

    /** Refuses a cosine band that is empty or reaches outside [-1, 1], as a request's or a setting's value. */
    public static void checkBand(float cosineLow, float cosineHigh) {
        if ((cosineHigh > cosineLow) == false || cosineLow < -1 || cosineHigh > 1) {
            throw new IllegalArgumentException(
                "[vector_calibration] needs -1 <= cosine_low < cosine_high <= 1, got [" + cosineLow + ", " + cosineHigh + "]"
            );
        }
    }

    /** Refuses a text floor outside [0, 1]: it is a fraction of the best BM25. */
    public static void checkFloor(float textFloor) {
        if ((textFloor >= 0 && textFloor <= 1) == false) {
            throw new IllegalArgumentException("[text_floor] must be between 0 and 1 (a fraction of the best BM25), got " + textFloor);
        }
    }

    /** The vector side's evidence; a document without a vector is judged as far from the query as a vector can be. */
    public float vector(float cosine) {
        float c = Float.isNaN(cosine) ? -1f : cosine;
        return 2f * (c - (cosineLow + cosineHigh) / 2f) / (cosineHigh - cosineLow);
    }

    /** The text side's evidence for a document with text in the text fields ({@code bm25} 0 when its words do not match). */
    public float text(float bm25, float best) {
        return bm25 - textFloor * best;
    }

    /** The least BM25 whose text evidence reaches {@code evidence}. */
    public float bm25For(float evidence, float best) {
        return evidence + textFloor * best;
    }

    /** Log-odds to a probability-like score in (0, 1), as Lucene wants scores: positive and finite. */
    public static float score(float evidence) {
        return (float) (1 / (1 + Math.exp(-evidence)));
    }

    /** The evidence a score in (0, 1) stands for; the inverse of {@link #score}. */
    public static float evidence(float score) {
        if (score <= 0) {
            return Float.NEGATIVE_INFINITY;
        }
        if (score >= 1) {
            return Float.POSITIVE_INFINITY;
        }
        return (float) Math.log(score / (1 - score));
    }
}
