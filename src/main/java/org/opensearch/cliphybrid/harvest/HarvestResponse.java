package org.opensearch.cliphybrid.harvest;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Objects;

/** The summary of a finished harvest: its final counts and how long it took. */
public final class HarvestResponse extends ActionResponse implements ToXContentObject {
    private final HarvestStatus status;
    private final long tookMillis;

    public HarvestResponse(HarvestStatus status, long tookMillis) {
        this.status = status;
        this.tookMillis = tookMillis;
    }

    public HarvestResponse(StreamInput in) throws IOException {
        super(in);
        status = new HarvestStatus(in);
        tookMillis = in.readVLong();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        status.writeTo(out);
        out.writeVLong(tookMillis);
    }

    public HarvestStatus status() {
        return status;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject().field("took_ms", tookMillis);
        status.fields(builder);
        return builder.endObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HarvestResponse r && status.equals(r.status) && tookMillis == r.tookMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, tookMillis);
    }
}
