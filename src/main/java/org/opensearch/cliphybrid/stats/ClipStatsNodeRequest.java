package org.opensearch.cliphybrid.stats;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;

/** The request each node gets; it carries nothing, since a node always reports all of its stats. */
public final class ClipStatsNodeRequest extends TransportRequest {
    public ClipStatsNodeRequest() {}

    public ClipStatsNodeRequest(StreamInput in) throws IOException {
        super(in);
    }
}
