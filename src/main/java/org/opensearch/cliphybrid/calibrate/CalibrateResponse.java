package org.opensearch.cliphybrid.calibrate;

import org.opensearch.cliphybrid.query.profile.MetricValues;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What a calibration found: the metrics of the default and of the best parameters on both parts, and the best parameters. */
public final class CalibrateResponse extends ActionResponse implements ToXContentObject {
    /** One part of the judgments: how many queries, and the metrics of the default and of the best parameters over them. */
    public record Part(int queries, MetricValues defaults, MetricValues best) implements Writeable {
        public Part(StreamInput in) throws IOException {
            this(in.readVInt(), new MetricValues(in), new MetricValues(in));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVInt(queries);
            defaults.writeTo(out);
            best.writeTo(out);
        }

        void toXContent(XContentBuilder builder, String name) throws IOException {
            builder.startObject(name).field("queries", queries).field("default", defaults).field("best", best).endObject();
        }
    }

    private final String metric;
    private final Part train;
    private final Part holdout;
    private final Map<String, Object> parameters;
    private final int gridPoints;
    private final long tookMillis;
    private final String profile;

    public CalibrateResponse(String metric, Part train, Part holdout, Map<String, Object> parameters, int gridPoints, long tookMillis, String profile) {
        this.metric = metric;
        this.train = train;
        this.holdout = holdout;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.gridPoints = gridPoints;
        this.tookMillis = tookMillis;
        this.profile = profile;
    }

    public CalibrateResponse(StreamInput in) throws IOException {
        super(in);
        metric = in.readString();
        train = new Part(in);
        holdout = new Part(in);
        parameters = in.readMap();
        gridPoints = in.readVInt();
        tookMillis = in.readVLong();
        profile = in.readOptionalString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(metric);
        train.writeTo(out);
        holdout.writeTo(out);
        out.writeMap(parameters);
        out.writeVInt(gridPoints);
        out.writeVLong(tookMillis);
        out.writeOptionalString(profile);
    }

    public Part train() {
        return train;
    }

    public Part holdout() {
        return holdout;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject().field("metric", metric);
        train.toXContent(builder, "train");
        holdout.toXContent(builder, "holdout");
        builder.field("parameters", parameters).field("grid_points", gridPoints).field("took_ms", tookMillis);
        if (profile != null) {
            builder.field("profile", profile);
        }
        return builder.endObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalibrateResponse r
            && metric.equals(r.metric)
            && train.equals(r.train)
            && holdout.equals(r.holdout)
            && parameters.equals(r.parameters)
            && gridPoints == r.gridPoints
            && tookMillis == r.tookMillis
            && Objects.equals(profile, r.profile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, train, holdout, parameters, gridPoints, tookMillis, profile);
    }
}
