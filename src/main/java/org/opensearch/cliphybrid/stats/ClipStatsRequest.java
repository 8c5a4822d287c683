package org.opensearch.cliphybrid.stats;

import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

import java.io.IOException;

/** Which nodes to ask: node ids or names, or the usual filters such as {@code _local}; none means all. */
public final class ClipStatsRequest extends BaseNodesRequest<ClipStatsRequest> {
    public ClipStatsRequest(String... nodeIds) {
        super(nodeIds);
    }

    public ClipStatsRequest(StreamInput in) throws IOException {
        super(in);
    }
}
