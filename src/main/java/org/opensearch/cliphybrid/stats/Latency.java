package org.opensearch.cliphybrid.stats;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** One stage's durations in milliseconds: count and total since the node started, percentiles over recent samples. */
public record Latency(long count, double total, double p50, double p95, double p99) implements Writeable, ToXContentObject {
    public static final Latency EMPTY = new Latency(0, 0, 0, 0, 0);

    public Latency(StreamInput in) throws IOException {
        this(in.readVLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(count);
        out.writeDouble(total);
        out.writeDouble(p50);
        out.writeDouble(p95);
        out.writeDouble(p99);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
            .field("count", count)
            .field("total", total)
            .field("p50", p50)
            .field("p95", p95)
            .field("p99", p99)
            .endObject();
    }
}
