package org.opensearch.cliphybrid.query.fusion;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;

/** How much each side counts. Both modes divide by the sum, so only the ratio matters; the default counts both alike. */
public record Weights(float vector, float text) implements Writeable {
    public static final Weights EQUAL = new Weights(1f, 1f);

    public Weights {
        if ((vector >= 0) == false || (text >= 0) == false || Float.isInfinite(vector) || Float.isInfinite(text) || vector + text == 0) {
            throw new IllegalArgumentException("[weights] must be finite, not negative and not both 0, got vector=" + vector + " text=" + text);
        }
    }

    public Weights(StreamInput in) throws IOException {
        this(in.readFloat(), in.readFloat());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeFloat(vector);
        out.writeFloat(text);
    }

    public float of(int side) {
        return side == 0 ? vector : text;
    }

    public float sum() {
        return vector + text;
    }
}
