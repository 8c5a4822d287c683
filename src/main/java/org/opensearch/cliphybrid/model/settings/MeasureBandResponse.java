package org.opensearch.cliphybrid.model.settings;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** The measured band, the pairs behind it and their percentiles, and whether it was stored. */
public final class MeasureBandResponse extends ActionResponse implements ToXContentObject {
    private final String model;
    private final float low, high;
    private final int matchingPairs, nonMatchingPairs;
    private final double[] matched, nonMatched, best;
    private final boolean stored;

    public MeasureBandResponse(String model, BandMeasurement.Result result, boolean stored) {
        this.model = model;
        this.low = result.low();
        this.high = result.high();
        this.matchingPairs = result.matchingPairs();
        this.nonMatchingPairs = result.nonMatchingPairs();
        this.matched = percentiles(result.matched());
        this.nonMatched = percentiles(result.nonMatched());
        this.best = percentiles(result.best());
        this.stored = stored;
    }

    public MeasureBandResponse(StreamInput in) throws IOException {
        super(in);
        model = in.readString();
        low = in.readFloat();
        high = in.readFloat();
        matchingPairs = in.readVInt();
        nonMatchingPairs = in.readVInt();
        matched = in.readDoubleArray();
        nonMatched = in.readDoubleArray();
        best = in.readDoubleArray();
        stored = in.readBoolean();
    }

    /** p5, p25, p50, p75, p95, as bench/cosine-band prints them. */
    private static final int[] PRINTED = { 1, 5, 10, 15, 19 };
    private static final String[] PRINTED_NAMES = { "p5", "p25", "p50", "p75", "p95" };

    private static double[] percentiles(double[] values) {
        double[] out = new double[PRINTED.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = BandMeasurement.twentieth(values, PRINTED[i]);
        }
        return out;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeFloat(low);
        out.writeFloat(high);
        out.writeVInt(matchingPairs);
        out.writeVInt(nonMatchingPairs);
        out.writeDoubleArray(matched);
        out.writeDoubleArray(nonMatched);
        out.writeDoubleArray(best);
        out.writeBoolean(stored);
    }

    public float low() {
        return low;
    }

    public float high() {
        return high;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject().field("model", model);
        builder.field(ModelSettings.COSINE_LOW_KEY, low).field(ModelSettings.COSINE_HIGH_KEY, high);
        builder.field("matching_pairs", matchingPairs).field("non_matching_pairs", nonMatchingPairs);
        builder.startObject("percentiles");
        quantiles(builder, "matching", matched);
        quantiles(builder, "non_matching", nonMatched);
        quantiles(builder, "best_match", best);
        builder.endObject();
        return builder.field("stored", stored).endObject();
    }

    private static void quantiles(XContentBuilder builder, String name, double[] values) throws IOException {
        builder.startObject(name);
        for (int i = 0; i < values.length; i++) {
            builder.field(PRINTED_NAMES[i], values[i]);
        }
        builder.endObject();
    }
}
