package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.util.io.IOUtils;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Joins the uploaded chunks, checks the zip and the model folder in it, and records the model's files. */
public final class TransportRegisterModelAction extends TransportModelStoreAction {
    private final ThreadPool threadPool;

    @Inject
    public TransportRegisterModelAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ThreadPool threadPool,
        ModelRegistry registry
    ) {
        super(ModelStoreActions.REGISTER, transportService, actionFilters, client, threadPool, registry);
        this.threadPool = threadPool;
    }

    @Override
    protected Map<String, Object> run(ModelStoreRequest request) throws Exception {
        // the JVM's temp folder is the node's own (OpenSearch sets java.io.tmpdir); the zip and the trial extraction go there
        Path work = Files.createTempDirectory("clip-model-register-");
        try {
            return store.register(request.name(), work, threadPool.absoluteTimeInMillis());
        } finally {
            IOUtils.rm(work);
        }
    }
}
