package org.opensearch.cliphybrid.stats;

import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;

/** One node's answer: the node and its stats. */
public final class ClipNodeStatsResponse extends BaseNodeResponse {
    private final NodeClipStats stats;

    public ClipNodeStatsResponse(DiscoveryNode node, NodeClipStats stats) {
        super(node);
        this.stats = stats;
    }

    public ClipNodeStatsResponse(StreamInput in) throws IOException {
        super(in);
        this.stats = new NodeClipStats(in);
    }

    public NodeClipStats stats() {
        return stats;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        stats.writeTo(out);
    }
}
