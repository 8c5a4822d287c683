package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every answering node's models, and the nodes that did not answer. */
public final class ModelNodesResponse extends BaseNodesResponse<ModelNodeResponse> {
    public ModelNodesResponse(ClusterName clusterName, List<ModelNodeResponse> nodes, List<FailedNodeException> failures) {
        super(clusterName, nodes, failures);
    }

    public ModelNodesResponse(StreamInput in) throws IOException {
        super(in);
    }

    @Override
    protected List<ModelNodeResponse> readNodesFrom(StreamInput in) throws IOException {
        return in.readList(ModelNodeResponse::new);
    }

    @Override
    protected void writeNodesTo(StreamOutput out, List<ModelNodeResponse> nodes) throws IOException {
        out.writeList(nodes);
    }

    /** {@code "nodes": [{"node": <id>, "node_name": ..., "loaded": ..., ...}]} for one model, one entry per answering node. */
    public void modelOnNodes(XContentBuilder builder, String name) throws IOException {
        builder.startArray("nodes");
        for (ModelNodeResponse node : getNodes()) {
            builder.startObject().field("node", node.getNode().getId()).field("node_name", node.getNode().getName());
            ModelNodeState state = node.model(name);
            if (state == null) {
                builder.field("loaded", false);
            } else {
                state.toXContent(builder, ToXContent.EMPTY_PARAMS);
            }
            builder.endObject();
        }
        builder.endArray();
    }

    /** The source ({@code folder} or {@code registered}) of each model some node has loaded, as the first such node says. */
    public Map<String, String> sources() {
        Map<String, String> out = new HashMap<>();
        for (ModelNodeResponse node : getNodes()) {
            for (ModelNodeState state : node.models()) {
                if (state.loaded()) {
                    out.putIfAbsent(state.name(), state.source());
                }
            }
        }
        return out;
    }

    /** Whether some node answered that it has {@code name} loaded. */
    public boolean loadedAnywhere(String name) {
        for (ModelNodeResponse node : getNodes()) {
            ModelNodeState state = node.model(name);
            if (state != null && state.loaded()) {
                return true;
            }
        }
        return false;
    }

    /** {@code "node_failures": [...]}, only when some node did not answer. */
    public void failures(XContentBuilder builder) throws IOException {
        if (hasFailures()) {
            builder.startArray("node_failures");
            for (FailedNodeException failure : failures()) {
                builder.startObject().field("node", failure.nodeId()).field("reason", failure.getDetailedMessage()).endObject();
            }
            builder.endArray();
        }
    }
}
