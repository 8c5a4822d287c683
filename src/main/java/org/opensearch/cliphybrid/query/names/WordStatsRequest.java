package org.opensearch.cliphybrid.query.names;

import org.opensearch.action.support.IndicesOptions;
import org.opensearch.action.support.broadcast.BroadcastRequest;
import org.opensearch.action.support.broadcast.BroadcastShardRequest;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.index.shard.ShardId;

import java.io.IOException;
import java.util.List;

/** The words to count and the text fields (names or patterns, {@code ^boost} allowed) to count them in. */
public final class WordStatsRequest extends BroadcastRequest<WordStatsRequest> {
    private final List<String> words;
    private final List<String> fields;

    public WordStatsRequest(String[] indices, IndicesOptions indicesOptions, List<String> words, List<String> fields) {
        super(indices, indicesOptions);
        this.words = List.copyOf(words);
        this.fields = List.copyOf(fields);
    }

    public WordStatsRequest(StreamInput in) throws IOException {
        super(in);
        words = in.readStringList();
        fields = in.readStringList();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringCollection(words);
        out.writeStringCollection(fields);
    }

    public List<String> words() {
        return words;
    }

    public List<String> fields() {
        return fields;
    }

    /** One shard's part of the request. */
    static final class Shard extends BroadcastShardRequest {
        final List<String> words;
        final List<String> fields;

        Shard(ShardId shardId, WordStatsRequest request) {
            super(shardId, request);
            this.words = request.words;
            this.fields = request.fields;
        }

        Shard(StreamInput in) throws IOException {
            super(in);
            words = in.readStringList();
            fields = in.readStringList();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeStringCollection(words);
            out.writeStringCollection(fields);
        }
    }
}
