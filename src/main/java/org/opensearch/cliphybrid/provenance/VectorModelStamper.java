package org.opensearch.cliphybrid.provenance;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexAbstraction;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes which model made a field's vectors into the index mapping's {@code _meta}, once per index and field, and says
 * when a document would mix in another model's vectors. {@code clip_embedding} runs before its bulk creates the index, so
 * the first stamp of a new index waits for the index to exist, a second at a time. The stamp is the node's own write (the
 * request's user may index without managing mappings).
 */
public final class VectorModelStamper implements FieldModels {
    private static final Logger logger = LogManager.getLogger(VectorModelStamper.class);
    private static final TimeValue RETRY_DELAY = TimeValue.timeValueSeconds(1);
    /** An index that does not exist a minute after its documents were embedded was never created: nothing to stamp. */
    private static final int ATTEMPTS = 60;

    private final ClusterService clusterService;
    private final Client client;
    private final ThreadPool threadPool;
    private final InferenceService inference;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public VectorModelStamper(ClusterService clusterService, Client client, ThreadPool threadPool, InferenceService inference) {
        this.clusterService = clusterService;
        this.client = client;
        this.threadPool = threadPool;
        this.inference = inference;
    }

    @Override
    public VectorModel model(String requested) {
        ClipModel model = inference.loadedModel(requested);
        return model == null ? null : VectorModel.of(model);
    }

    /** Of an alias or data stream: its write index's. */
    @Override
    public VectorModel stamped(String index, String field) {
        IndexMetadata metadata = writeIndex(clusterService.state(), index);
        return metadata == null ? null : VectorModels.stamped(metadata, field);
    }

    @Override
    public void ensure(String index, String field, VectorModel model) {
        if (stamped(index, field) != null) {
            return;
        }
        String key = index + '\u0000' + field;
        if (inFlight.add(key)) {
            attempt(key, index, field, model, ATTEMPTS);
        }
    }

    private void attempt(String key, String index, String field, VectorModel model, int attemptsLeft) {
        IndexMetadata metadata = writeIndex(clusterService.state(), index);
        if (metadata == null) {
            retry(key, index, field, model, attemptsLeft, null);
            return;
        }
        if (VectorModels.stamped(metadata, field) != null) {
            inFlight.remove(key);
            return;
        }
        Map<String, Object> meta = VectorModels.withStamp(metadata, field, model);
        PutMappingRequest request = new PutMappingRequest(metadata.getIndex().getName()).source(Map.of("_meta", meta));
        try (ThreadContext.StoredContext ignored = threadPool.getThreadContext().stashContext()) {
            client.admin().indices().putMapping(request, ActionListener.wrap(r -> {
                inFlight.remove(key);
                logger.debug("index [{}] field [{}]: vectors of CLIP model {}", index, field, model.describe());
            }, e -> retry(key, index, field, model, attemptsLeft, e)));
        }
    }

    private void retry(String key, String index, String field, VectorModel model, int attemptsLeft, Exception failure) {
        if (attemptsLeft <= 1) {
            inFlight.remove(key);
            logger.warn("index [" + index + "] field [" + field + "]: could not record that CLIP model " + model.describe() + " made its vectors", failure);
            return;
        }
        threadPool.schedule(() -> attempt(key, index, field, model, attemptsLeft - 1), RETRY_DELAY, ThreadPool.Names.GENERIC);
    }

    /** The concrete index a name writes to: itself, or an alias's or data stream's write index; null when there is none yet. */
    static IndexMetadata writeIndex(ClusterState state, String name) {
        IndexAbstraction abstraction = state.metadata().getIndicesLookup().get(name);
        return abstraction == null ? null : abstraction.getWriteIndex();
    }
}
