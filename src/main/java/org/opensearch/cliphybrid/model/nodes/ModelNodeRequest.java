package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;

/** The request each node gets; it carries nothing, since a node always reports every model it holds. */
public final class ModelNodeRequest extends TransportRequest {
    public ModelNodeRequest() {}

    public ModelNodeRequest(StreamInput in) throws IOException {
        super(in);
    }
}
