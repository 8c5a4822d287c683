package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.Map;

/** Stores one chunk of a model zip. */
public final class TransportModelChunkAction extends TransportModelStoreAction {
    @Inject
    public TransportModelChunkAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ThreadPool threadPool,
        ModelRegistry registry,
        ClusterService clusterService
    ) {
        super(ModelStoreActions.CHUNK, transportService, actionFilters, client, threadPool, registry, clusterService);
    }

    @Override
    protected Map<String, Object> run(ModelStoreRequest request, RegistrationLimits limits) throws Exception {
        return store.putChunk(request.name(), request.chunk(), request.bytes(), limits);
    }
}
