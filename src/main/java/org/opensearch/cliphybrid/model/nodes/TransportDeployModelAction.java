package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.ExceptionsHelper;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.List;

/**
 * Each node loads the model on its inference pool, as a first use does (a registered model is fetched from the system index
 * and checked first), and answers its state of it: loaded, or the reason it could not be. A node waits on the generic pool
 * for at most {@link #LOAD_WAIT}; a load that takes longer goes on, and {@code GET _plugins/clip/models} shows when it is done.
 */
public final class TransportDeployModelAction extends TransportNodesAction<
    DeployModelRequest,
    ModelNodesResponse,
    DeployModelNodeRequest,
    ModelNodeResponse> {

    static final TimeValue LOAD_WAIT = TimeValue.timeValueMinutes(5);

    private final InferenceService inference;
    private final ModelRegistry registry;

    @Inject
    public TransportDeployModelAction(
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters,
        InferenceService inference,
        ModelRegistry registry
    ) {
        super(
            DeployModelAction.NAME,
            threadPool,
            clusterService,
            transportService,
            actionFilters,
            DeployModelRequest::new,
            DeployModelNodeRequest::new,
            ThreadPool.Names.GENERIC,
            ModelNodeResponse.class
        );
        this.inference = inference;
        this.registry = registry;
    }

    @Override
    protected ModelNodesResponse newResponse(DeployModelRequest request, List<ModelNodeResponse> nodes, List<FailedNodeException> failures) {
        return new ModelNodesResponse(clusterService.getClusterName(), nodes, failures);
    }

    @Override
    protected DeployModelNodeRequest newNodeRequest(DeployModelRequest request) {
        return new DeployModelNodeRequest(request.model());
    }

    @Override
    protected ModelNodeResponse newNodeResponse(StreamInput in) throws IOException {
        return new ModelNodeResponse(in);
    }

    @Override
    protected ModelNodeResponse nodeOperation(DeployModelNodeRequest request) {
        String name = request.model();
        PlainActionFuture<ClipModel> loaded = new PlainActionFuture<>();
        inference.execute(name, model -> model, loaded);
        ModelNodeState state;
        try {
            ClipModel model = loaded.actionGet(LOAD_WAIT);
            state = TransportModelNodesAction.loaded(registry, name, model);
        } catch (Exception e) {
            Throwable cause = ExceptionsHelper.unwrapCause(e);
            String reason = cause instanceof org.opensearch.OpenSearchTimeoutException
                ? "still loading after " + LOAD_WAIT + "; GET _plugins/clip/models shows when it is done"
                : String.valueOf(cause.getMessage());
            state = ModelNodeState.failed(name, TransportModelNodesAction.source(registry, name), reason);
        }
        return new ModelNodeResponse(clusterService.localNode(), List.of(state));
    }
}
