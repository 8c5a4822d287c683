package org.opensearch.cliphybrid.query.names;

import org.opensearch.action.support.broadcast.BroadcastResponse;
import org.opensearch.action.support.broadcast.BroadcastShardResponse;
import org.opensearch.core.action.support.DefaultShardOperationFailedException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.index.shard.ShardId;

import java.io.IOException;
import java.util.List;

/**
 * The target's documents and, for each word in the request's order, how many of them hold it: summed over the shards (one copy
 * each). A word in several fields of one document, or cut into several terms by a field's analyzer, is counted as term
 * statistics allow: at most once per field, and by its rarest term, so the count is an upper bound, never an undercount.
 */
public final class WordStatsResponse extends BroadcastResponse {
    private final long docs;
    private final long[] docFreqs;

    WordStatsResponse(int total, int successful, int failed, List<DefaultShardOperationFailedException> failures, long docs, long[] docFreqs) {
        super(total, successful, failed, failures);
        this.docs = docs;
        this.docFreqs = docFreqs;
    }

    public WordStatsResponse(StreamInput in) throws IOException {
        super(in);
        docs = in.readVLong();
        docFreqs = in.readVLongArray();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeVLong(docs);
        out.writeVLongArray(docFreqs);
    }

    public long docs() {
        return docs;
    }

    public long docFreq(int word) {
        return docFreqs[word];
    }

    /** One shard's counts. */
    static final class Shard extends BroadcastShardResponse {
        final long docs;
        final long[] docFreqs;

        Shard(ShardId shardId, long docs, long[] docFreqs) {
            super(shardId);
            this.docs = docs;
            this.docFreqs = docFreqs;
        }

        Shard(StreamInput in) throws IOException {
            super(in);
            docs = in.readVLong();
            docFreqs = in.readVLongArray();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeVLong(docs);
            out.writeVLongArray(docFreqs);
        }
    }
}
