package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Asks every node which models it has loaded (or failed to load) and gathers the answers; nothing is loaded by asking. */
public final class TransportModelNodesAction extends TransportNodesAction<
    ModelNodesRequest,
    ModelNodesResponse,
    ModelNodeRequest,
    ModelNodeResponse> {

    private final ModelRegistry registry;

    @Inject
    public TransportModelNodesAction(
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters,
        ModelRegistry registry
    ) {
        super(
            ModelNodesAction.NAME,
            threadPool,
            clusterService,
            transportService,
            actionFilters,
            ModelNodesRequest::new,
            ModelNodeRequest::new,
            ThreadPool.Names.MANAGEMENT,
            ModelNodeResponse.class
        );
        this.registry = registry;
    }

    @Override
    protected ModelNodesResponse newResponse(ModelNodesRequest request, List<ModelNodeResponse> nodes, List<FailedNodeException> failures) {
        return new ModelNodesResponse(clusterService.getClusterName(), nodes, failures);
    }

    @Override
    protected ModelNodeRequest newNodeRequest(ModelNodesRequest request) {
        return new ModelNodeRequest();
    }

    @Override
    protected ModelNodeResponse newNodeResponse(StreamInput in) throws IOException {
        return new ModelNodeResponse(in);
    }

    @Override
    protected ModelNodeResponse nodeOperation(ModelNodeRequest request) {
        return new ModelNodeResponse(clusterService.localNode(), states(registry));
    }

    /** The registry's loaded models and remembered failures, by name. */
    static List<ModelNodeState> states(ModelRegistry registry) {
        Map<String, ModelNodeState> byName = new TreeMap<>();
        registry.failures().forEach((name, reason) -> byName.put(name, ModelNodeState.failed(name, source(registry, name), reason)));
        for (Map.Entry<String, ClipModel> e : registry.loaded().entrySet()) {
            ClipModel model = e.getValue();
            String name = e.getKey();
            byName.put(name, loaded(registry, name, model));
        }
        return new ArrayList<>(byName.values());
    }

    /** {@code model} as this node serves it under {@code name}. */
    static ModelNodeState loaded(ModelRegistry registry, String name, ClipModel model) {
        return ModelNodeState.loaded(name, source(registry, name), model.loadMillis(), model.loadedAtMillis(), onnxBytes(model));
    }

    static String source(ModelRegistry registry, String name) {
        return registry.isRegistered(name) ? "registered" : "folder";
    }

    /** The loaded graphs' sizes, each file once (some exports hold both towers in one); -1 if a file has gone since. */
    static long onnxBytes(ClipModel model) {
        Set<Path> files = new LinkedHashSet<>(List.of(model.folder().textModel(), model.folder().visionModel()));
        long total = 0;
        for (Path file : files) {
            try {
                total += Files.size(file);
            } catch (IOException e) {
                return -1;
            }
        }
        return total;
    }
}
