package org.opensearch.cliphybrid.stats;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/**
 * {@code {"cluster_name": ..., "nodes": {"<id>": {"name": ..., <stats>}}}}; nodes that did not answer are listed under
 * {@code failures}, which appears only when there are some.
 */
public final class ClipStatsResponse extends BaseNodesResponse<ClipNodeStatsResponse> implements ToXContentObject {
    public ClipStatsResponse(ClusterName clusterName, List<ClipNodeStatsResponse> nodes, List<FailedNodeException> failures) {
        super(clusterName, nodes, failures);
    }

    public ClipStatsResponse(StreamInput in) throws IOException {
        super(in);
    }

    @Override
    protected List<ClipNodeStatsResponse> readNodesFrom(StreamInput in) throws IOException {
        return in.readList(ClipNodeStatsResponse::new);
    }

    @Override
    protected void writeNodesTo(StreamOutput out, List<ClipNodeStatsResponse> nodes) throws IOException {
        out.writeList(nodes);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject().field("cluster_name", getClusterName().value()).startObject("nodes");
        for (ClipNodeStatsResponse node : getNodes()) {
            builder.startObject(node.getNode().getId()).field("name", node.getNode().getName());
            node.stats().toXContent(builder, params);
            builder.endObject();
        }
        builder.endObject();
        if (hasFailures()) {
            builder.startArray("failures");
            for (FailedNodeException failure : failures()) {
                builder.startObject().field("node", failure.nodeId()).field("reason", failure.getDetailedMessage()).endObject();
            }
            builder.endArray();
        }
        return builder.endObject();
    }
}
