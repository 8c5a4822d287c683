package org.opensearch.cliphybrid.query.fusion;

/**
 * Composable mode's fixed maps of each side's raw score onto [0, 1], which depend on the document alone, never on other hits:
 * <ul>
 * <li>vector: {@code clamp((cosine - cosine_low) / (cosine_high - cosine_low), 0, 1)}. CLIP's text-image cosines live in a
 * narrow band whose place depends on the model, so the band is a per-request (or per-model default) setting;</li>
 * <li>text: BM25 saturation {@code bm25 / (bm25 + text_saturation)}: 0 for no match, one half at {@code text_saturation}, and
 * towards 1 for strong matches, whatever the query length.</li>
 * </ul>
 * Never sent between nodes: each shard builds it from the query builder's fields and the node's defaults.
 */
public record Calibration(float cosineLow, float cosineHigh, float textSaturation) {
    public Calibration {
        checkBand(cosineLow, cosineHigh);
        checkSaturation(textSaturation);
    }

    /** Refuses a cosine band that is empty or reaches outside [-1, 1], as a request's or a setting's value. */
    public static void checkBand(float cosineLow, float cosineHigh) {
        if ((cosineHigh > cosineLow) == false || cosineLow < -1 || cosineHigh > 1) {
            throw new IllegalArgumentException(
                "[vector_calibration] needs -1 <= cosine_low < cosine_high <= 1, got [" + cosineLow + ", " + cosineHigh + "]"
            );
        }
    }

    /** Refuses a BM25 saturation that is not a positive finite number. */
    public static void checkSaturation(float textSaturation) {
        if ((textSaturation > 0) == false || Float.isInfinite(textSaturation)) {
            throw new IllegalArgumentException("[text_saturation] must be a positive number, got " + textSaturation);
        }
    }

    public float vector(float cosine) {
        return Math.min(1f, Math.max(0f, (cosine - cosineLow) / (cosineHigh - cosineLow)));
    }

    public float text(float bm25) {
        return bm25 <= 0 ? 0f : bm25 / (bm25 + textSaturation);
    }
}
