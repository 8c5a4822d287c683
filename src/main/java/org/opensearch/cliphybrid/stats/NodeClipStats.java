package org.opensearch.cliphybrid.stats;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/** What one node reports to {@code GET _plugins/clip/stats}; counters run from the node's start. */
public record NodeClipStats(
    long imagesFetched,
    long imageBytes,
    Map<String, Long> failures,
    long imageEmbeddings,
    long textEmbeddings,
    long batches,
    int maxBatchSize,
    Map<String, Latency> latency,
    Map<String, QueueStats> queues,
    Map<String, Long> modelLoadMillis
) implements Writeable, ToXContentFragment {

    public NodeClipStats(StreamInput in) throws IOException {
        this(
            in.readVLong(),
            in.readVLong(),
            in.readOrderedMap(StreamInput::readString, StreamInput::readVLong),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVInt(),
            in.readOrderedMap(StreamInput::readString, Latency::new),
            in.readOrderedMap(StreamInput::readString, QueueStats::new),
            in.readOrderedMap(StreamInput::readString, StreamInput::readVLong)
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(imagesFetched);
        out.writeVLong(imageBytes);
        out.writeMap(failures, StreamOutput::writeString, StreamOutput::writeVLong);
        out.writeVLong(imageEmbeddings);
        out.writeVLong(textEmbeddings);
        out.writeVLong(batches);
        out.writeVInt(maxBatchSize);
        out.writeMap(latency, StreamOutput::writeString, (o, l) -> l.writeTo(o));
        out.writeMap(queues, StreamOutput::writeString, (o, q) -> q.writeTo(o));
        out.writeMap(modelLoadMillis, StreamOutput::writeString, StreamOutput::writeVLong);
    }

    public double meanBatchSize() {
        // every image embedding comes from a batch, one image or many
        return batches == 0 ? 0.0 : (double) imageEmbeddings / batches;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject("images").field("fetched", imagesFetched).field("bytes", imageBytes);
        builder.startObject("failures");
        for (Map.Entry<String, Long> failure : failures.entrySet()) {
            builder.field(failure.getKey(), failure.getValue());
        }
        builder.endObject().endObject();
        builder.startObject("embeddings").field("image", imageEmbeddings).field("text", textEmbeddings).endObject();
        builder.startObject("batches").field("count", batches).field("mean_size", meanBatchSize()).field("max_size", maxBatchSize).endObject();
        builder.startObject("latency_ms");
        for (Map.Entry<String, Latency> stage : latency.entrySet()) {
            builder.field(stage.getKey(), stage.getValue());
        }
        builder.endObject().startObject("queue");
        for (Map.Entry<String, QueueStats> queue : queues.entrySet()) {
            builder.field(queue.getKey(), queue.getValue());
        }
        builder.endObject().startObject("models");
        for (Map.Entry<String, Long> model : modelLoadMillis.entrySet()) {
            builder.startObject(model.getKey()).field("load_ms", model.getValue()).endObject();
        }
        return builder.endObject();
    }
}
