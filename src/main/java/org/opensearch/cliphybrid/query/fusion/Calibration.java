package org.opensearch.cliphybrid.query.fusion;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;

/**
 * Composable mode's fixed maps of each side's raw score onto [0, 1], which depend on the document alone, never on other hits:
 * <ul>
 * <li>vector: {@code clamp((cosine - cosine_low) / (cosine_high - cosine_low), 0, 1)}. CLIP's text-image cosines live in a
 * narrow band whose place depends on the model, so the band is a per-request (or per-model default) setting;</li>
 * <li>text: BM25 saturation {@code bm25 / (bm25 + text_saturation)}: 0 for no match, one half at {@code text_saturation}, and
 * towards 1 for strong matches, whatever the query length.</li>
 * </ul>
 */
public record Calibration(float cosineLow, float cosineHigh, float textSaturation) implements Writeable {
    public Calibration {
        if ((cosineHigh > cosineLow) == false || cosineLow < -1 || cosineHigh > 1) {
            throw new IllegalArgumentException(
                "[vector_calibration] needs -1 <= cosine_low < cosine_high <= 1, got [" + cosineLow + ", " + cosineHigh + "]"
            );
        }
        if ((textSaturation > 0) == false || Float.isInfinite(textSaturation)) {
            throw new IllegalArgumentException("[text_saturation] must be a positive number, got " + textSaturation);
        }
    }

    public Calibration(StreamInput in) throws IOException {
        this(in.readFloat(), in.readFloat(), in.readFloat());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeFloat(cosineLow);
        out.writeFloat(cosineHigh);
        out.writeFloat(textSaturation);
    }

    public float vector(float cosine) {
        return Math.min(1f, Math.max(0f, (cosine - cosineLow) / (cosineHigh - cosineLow)));
    }

    public float text(float bm25) {
        return bm25 <= 0 ? 0f : bm25 / (bm25 + textSaturation);
    }
}
