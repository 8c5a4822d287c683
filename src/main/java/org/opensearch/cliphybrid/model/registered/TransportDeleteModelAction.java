package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.Map;

/** Deletes a registered model and its chunks; this node drops it at once, the others on their next check that it is still registered. */
public final class TransportDeleteModelAction extends TransportModelStoreAction {
    @Inject
    public TransportDeleteModelAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ThreadPool threadPool,
        ModelRegistry registry,
        ClusterService clusterService
    ) {
        super(ModelStoreActions.DELETE, transportService, actionFilters, client, threadPool, registry, clusterService);
    }

    @Override
    protected Map<String, Object> run(ModelStoreRequest request, RegistrationLimits limits) {
        Map<String, Object> deleted = store.delete(request.name());
        // this node forgets it at once; the others when they next find it unregistered
        registry.drop(request.name(), null);
        return deleted;
    }
}
