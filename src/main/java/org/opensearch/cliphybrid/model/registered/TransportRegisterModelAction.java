package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cliphybrid.ClipSettings;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.util.io.IOUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Joins the uploaded chunks, checks the zip and the model folder in it, and records the model's files. With a URL, it first
 * fetches the zip into chunks ({@link ModelUrlFetch}), then registers them the same way; a URL registration that fails leaves
 * no chunks behind.
 */
public final class TransportRegisterModelAction extends TransportModelStoreAction {
    private static final Logger logger = LogManager.getLogger(TransportRegisterModelAction.class);

    private final ThreadPool threadPool;
    private final ModelUrlFetch urls = new ModelUrlFetch(new GuardedHttpClient());
    /** Names being fetched on this node: a second fetch of one would write chunks between the first's. */
    private final Set<String> fetching = ConcurrentHashMap.newKeySet();

    @Inject
    public TransportRegisterModelAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ThreadPool threadPool,
        ModelRegistry registry,
        ClusterService clusterService
    ) {
        super(ModelStoreActions.REGISTER, transportService, actionFilters, client, threadPool, registry, clusterService);
        this.threadPool = threadPool;
    }

    @Override
    protected Map<String, Object> run(ModelStoreRequest request, RegistrationLimits limits) throws Exception {
        // the JVM's temp folder is the node's own (OpenSearch sets java.io.tmpdir); the zip and the trial extraction go there
        Path work = Files.createTempDirectory("clip-model-register-");
        try {
            if (request.url() == null) {
                return store.register(request.name(), work, threadPool.absoluteTimeInMillis(), limits, null);
            }
            return fromUrl(request, limits, work);
        } finally {
            IOUtils.rm(work);
        }
    }

    private Map<String, Object> fromUrl(ModelStoreRequest request, RegistrationLimits limits, Path work) throws Exception {
        String name = request.name();
        if (store.metadata(name) != null) {
            throw new IllegalArgumentException(
                "CLIP model [" + name + "] is registered already; DELETE _plugins/clip/models/" + name + " to register it again"
            );
        }
        if (store.chunkIds(name).isEmpty() == false) {
            // they would mix with the fetched ones; they are someone's upload, so they are not dropped here
            throw new IllegalArgumentException(
                "CLIP model [" + name + "] has uploaded chunks that are not registered; POST _plugins/clip/models/" + name
                    + "/_register without a body registers them, DELETE _plugins/clip/models/" + name + " drops them"
            );
        }
        if (fetching.add(name) == false) {
            throw new IllegalArgumentException("CLIP model [" + name + "] is being registered from a URL on this node already");
        }
        try {
            URI url = URI.create(request.url());
            ModelUrlFetch.Stored stored = urls.fetch(
                name,
                url,
                ClipSettings.fetchLimits(settings()),
                limits,
                (n, bytes) -> store.putChunk(name, n, bytes, limits)
            );
            if (request.sha256() != null && request.sha256().equals(stored.sha256()) == false) {
                throw new IllegalArgumentException(
                    "[sha256] of CLIP model [" + name + "]: the zip at [" + url + "] has SHA-256 " + stored.sha256() + ", the request"
                        + " says " + request.sha256()
                );
            }
            // the chunks read back must be the bytes fetched: another node's fetch of this name could have written between
            return store.register(name, work, threadPool.absoluteTimeInMillis(), limits, stored.sha256());
        } catch (Exception e) {
            dropChunks(name);
            throw e;
        } finally {
            fetching.remove(name);
        }
    }

    private void dropChunks(String name) {
        try {
            // not when a registration of this name won meanwhile: the chunks are its own then
            if (store.metadata(name) == null) {
                store.deleteChunks(name);
            }
        } catch (RuntimeException e) {
            logger.warn("dropping the chunks of the failed URL registration of CLIP model [" + name + "] failed", e);
        }
    }
}
