package org.opensearch.cliphybrid.stats;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.List;

/** Asks every selected node for its {@link NodeClipStats} over the transport layer and gathers the answers. */
public final class TransportClipStatsAction extends TransportNodesAction<
    ClipStatsRequest,
    ClipStatsResponse,
    ClipStatsNodeRequest,
    ClipNodeStatsResponse> {

    private final NodeStatsReporter reporter;

    @Inject
    public TransportClipStatsAction(
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters,
        NodeStatsReporter reporter
    ) {
        super(
            ClipStatsAction.NAME,
            threadPool,
            clusterService,
            transportService,
            actionFilters,
            ClipStatsRequest::new,
            ClipStatsNodeRequest::new,
            ThreadPool.Names.MANAGEMENT,
            ClipNodeStatsResponse.class
        );
        this.reporter = reporter;
    }

    @Override
    protected ClipStatsResponse newResponse(ClipStatsRequest request, List<ClipNodeStatsResponse> nodes, List<FailedNodeException> failures) {
        return new ClipStatsResponse(clusterService.getClusterName(), nodes, failures);
    }

    @Override
    protected ClipStatsNodeRequest newNodeRequest(ClipStatsRequest request) {
        return new ClipStatsNodeRequest();
    }

    @Override
    protected ClipNodeStatsResponse newNodeResponse(StreamInput in) throws IOException {
        return new ClipNodeStatsResponse(in);
    }

    @Override
    protected ClipNodeStatsResponse nodeOperation(ClipStatsNodeRequest request) {
        return new ClipNodeStatsResponse(clusterService.localNode(), reporter.report());
    }
}
