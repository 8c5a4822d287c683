package org.opensearch.cliphybrid.stats;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** One of the plugin's thread pools: threads at work, tasks waiting, tasks refused (each a 429) since the node started. */
public record QueueStats(int active, int queued, long rejected) implements Writeable, ToXContentObject {
    public QueueStats(StreamInput in) throws IOException {
        this(in.readVInt(), in.readVInt(), in.readVLong());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVInt(active);
        out.writeVInt(queued);
        out.writeVLong(rejected);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject().field("active", active).field("queued", queued).field("rejected", rejected).endObject();
    }
}
