package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;

/** The model to load, and on which nodes: ids, names or filters such as {@code data:true}; none means every node. */
public final class DeployModelRequest extends BaseNodesRequest<DeployModelRequest> {
    private final String model;

    public DeployModelRequest(String model, String... nodeIds) {
        super(nodeIds);
        this.model = model;
    }

    public DeployModelRequest(StreamInput in) throws IOException {
        super(in);
        this.model = in.readString();
    }

    public String model() {
        return model;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(model);
    }
}
