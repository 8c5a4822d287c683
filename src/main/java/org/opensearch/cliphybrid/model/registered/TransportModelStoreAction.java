package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.ActionType;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cliphybrid.ClipSettings;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.Map;

/**
 * The shared shape of the three model-store actions: refuse a name that a model folder of this node already has (the
 * folder would win, and the registered copy would never be used), then do the blocking work on the generic pool, never on a
 * transport thread, with the plugin's own rights on its system index.
 */
abstract class TransportModelStoreAction extends HandledTransportAction<ModelStoreRequest, ModelStoreResponse> {
    protected final ModelChunks store;
    private final ThreadPool threadPool;
    protected final ModelRegistry registry;
    private final ClusterSettings settings;

    TransportModelStoreAction(
        ActionType<ModelStoreResponse> type,
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ThreadPool threadPool,
        ModelRegistry registry,
        ClusterService clusterService
    ) {
        super(type.name(), transportService, actionFilters, ModelStoreRequest::new);
        this.store = new ModelChunks(client);
        this.threadPool = threadPool;
        this.registry = registry;
        this.settings = clusterService.getClusterSettings();
    }

    /** The work itself, blocking, in the plugin's context, within the limits the settings give now. */
    protected abstract Map<String, Object> run(ModelStoreRequest request, RegistrationLimits limits) throws Exception;

    /** The node's dynamic settings, for what a subclass reads besides the limits. */
    protected ClusterSettings settings() {
        return settings;
    }

    @Override
    protected void doExecute(Task task, ModelStoreRequest request, ActionListener<ModelStoreResponse> listener) {
        threadPool.executor(ThreadPool.Names.GENERIC).execute(() -> {
            Map<String, Object> body;
            try {
                if (registry.available().contains(request.name())) {
                    throw new IllegalArgumentException(
                        "CLIP model [" + request.name() + "] is a model folder under <config>/" + ModelRegistry.MODELS_FOLDER
                            + " of this node; pick another name for a registered model"
                    );
                }
                ThreadContext context = threadPool.getThreadContext();
                try (ThreadContext.StoredContext ignored = context.stashContext()) {
                    body = run(request, ClipSettings.registrationLimits(settings));
                }
            } catch (Exception e) {
                listener.onFailure(e);
                return;
            }
            listener.onResponse(new ModelStoreResponse(body));
        });
    }
}
