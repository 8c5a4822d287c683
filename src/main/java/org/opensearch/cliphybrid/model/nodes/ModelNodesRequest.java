package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

import java.io.IOException;

/** Which nodes to ask: node ids or names, or the usual filters such as {@code _local}; none means all. */
public final class ModelNodesRequest extends BaseNodesRequest<ModelNodesRequest> {
    public ModelNodesRequest(String... nodeIds) {
        super(nodeIds);
    }

    public ModelNodesRequest(StreamInput in) throws IOException {
        super(in);
    }
}
