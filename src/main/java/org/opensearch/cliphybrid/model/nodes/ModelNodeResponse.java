package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;
import java.util.List;

/** One node's answer: the models it has loaded or failed to load; a model it does not list it has not loaded. */
public final class ModelNodeResponse extends BaseNodeResponse {
    private final List<ModelNodeState> models;

    public ModelNodeResponse(DiscoveryNode node, List<ModelNodeState> models) {
        super(node);
        this.models = List.copyOf(models);
    }

    public ModelNodeResponse(StreamInput in) throws IOException {
        super(in);
        this.models = in.readList(ModelNodeState::new);
    }

    public List<ModelNodeState> models() {
        return models;
    }

    /** This node's state of {@code name}, or null when it neither loaded nor failed to load it. */
    public ModelNodeState model(String name) {
        for (ModelNodeState state : models) {
            if (state.name().equals(name)) {
                return state;
            }
        }
        return null;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeList(models);
    }
}
