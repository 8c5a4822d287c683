package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;

/** What each node is asked to load. */
public final class DeployModelNodeRequest extends TransportRequest {
    private final String model;

    public DeployModelNodeRequest(String model) {
        this.model = model;
    }

    public DeployModelNodeRequest(StreamInput in) throws IOException {
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
