package org.opensearch.cliphybrid.rest;

import org.opensearch.action.admin.cluster.state.ClusterStateResponse;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cliphybrid.model.nodes.ModelNodesAction;
import org.opensearch.cliphybrid.model.nodes.ModelNodesRequest;
import org.opensearch.cliphybrid.model.nodes.ModelNodesResponse;
import org.opensearch.cliphybrid.model.registered.RegisteredModel;
import org.opensearch.cliphybrid.model.registered.ModelCache;
import org.opensearch.cliphybrid.provenance.PipelineModels;
import org.opensearch.cliphybrid.provenance.VectorModels;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActionListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code GET _plugins/clip/models}: the model folders of the node that answers, which of them it has loaded, and the vector
 * fields of the cluster whose vectors each made (the mappings' records). Each node loads models on first use, so another node
 * may answer differently; the response names the node for that reason, and lists under each model every node's own state of
 * it ({@link ModelNodesAction}). Models registered through the cluster are listed
 * too, whether this node loaded them or not, with {@code "source": "registered"}; a model folder of this node wins over a
 * registered model of its name and is listed as {@code "source": "folder"}.
 */
public final class RestModelsAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/models";

    private final Supplier<ModelRegistry> models;
    private final Supplier<InferenceService> inference;
    private final Supplier<ModelCache> registered;

    public RestModelsAction(Supplier<ModelRegistry> models, Supplier<InferenceService> inference, Supplier<ModelCache> registered) {
        this.models = models;
        this.inference = inference;
        this.registered = registered;
    }

    @Override
    public String getName() {
        return "clip_models_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.GET, PATH, ClipActionNames.MODELS));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ModelRegistry registry = models.get();
        String defaultModel = inference.get().resolve(null);
        String node = client.getLocalNodeId();
        // the registered models are read with a blocking search: on the generic pool, not on the transport thread
        return channel -> client.threadPool().generic().execute(() -> {
            Map<String, RegisteredModel> byName = new HashMap<>();
            try {
                registered.get().registered().forEach(m -> byName.put(m.name(), m));
            } catch (Exception e) {
                try {
                    channel.sendResponse(new BytesRestResponse(channel, e));
                } catch (java.io.IOException io) {
                    channel.sendResponse(new BytesRestResponse(RestStatus.INTERNAL_SERVER_ERROR, io.getMessage()));
                }
                return;
            }
            list(client, channel, registry, defaultModel, node, byName);
        });
    }

    private static void list(
        NodeClient client,
        org.opensearch.rest.RestChannel channel,
        ModelRegistry registry,
        String defaultModel,
        String node,
        Map<String, RegisteredModel> registered
    ) {
        client.admin().cluster().prepareState().clear().setMetadata(true).execute(new RestActionListener<>(channel) {
            @Override
            protected void processResponse(ClusterStateResponse state) {
                client.execute(ModelNodesAction.INSTANCE, new ModelNodesRequest(), new RestActionListener<>(channel) {
                    @Override
                    protected void processResponse(ModelNodesResponse nodes) throws Exception {
                        var metadata = state.getState().metadata();
                        write(
                            channel,
                            registry,
                            defaultModel,
                            node,
                            registered,
                            VectorModels.all(metadata),
                            PipelineModels.all(metadata, defaultModel),
                            nodes
                        );
                    }
                });
            }
        });
    }

    private static void write(
        org.opensearch.rest.RestChannel channel,
        ModelRegistry registry,
        String defaultModel,
        String node,
        Map<String, RegisteredModel> registered,
        List<VectorModels.Stamp> stamps,
        Map<String, List<PipelineModels.Use>> pipelines,
        ModelNodesResponse nodes
    ) throws java.io.IOException {
        Map<String, ClipModel> loaded = registry.loaded();
        Map<String, String> failures = registry.failures();
        // a loaded model stays listed even if its folder has gone since: it is what this node still serves
        TreeSet<String> names = new TreeSet<>(registry.available());
        names.addAll(loaded.keySet());
        names.addAll(registered.keySet());
        // and what other nodes hold: a folder that only they have, or a model this node has not loaded
        Map<String, String> sourceElsewhere = nodes.sources();
        names.addAll(sourceElsewhere.keySet());
        XContentBuilder builder = channel.newBuilder();
        builder.startObject().field("node", node).field("default", defaultModel).startArray("models");
        for (String name : names) {
            ClipModel model = loaded.get(name);
            boolean folder = registry.hasFolder(name) || (registered.containsKey(name) == false && loaded.containsKey(name)
                && registry.isRegistered(name) == false)
                || (registered.containsKey(name) == false && loaded.containsKey(name) == false
                    && "folder".equals(sourceElsewhere.get(name)));
            builder.startObject().field("name", name).field("default", name.equals(defaultModel)).field("loaded", model != null)
                .field("source", folder ? "folder" : "registered");
            RegisteredModel registration = registered.get(name);
            if (registration != null && folder == false) {
                builder.field("size_bytes", registration.bytes())
                    .field("zip_sha256", registration.zipSha256())
                    .field("created_millis", registration.createdMillis());
                if (model == null) {
                    builder.field("family", registration.family());
                }
            }
            if (model != null) {
                builder.field("family", model.folder().family().displayName())
                    .field("layout", model.folder().layout().displayName())
                    .field("dimension", model.dimension())
                    .field("sha256", model.fingerprint())
                    .field("load_millis", model.loadMillis());
                if (model.languages().isEmpty() == false) {
                    // an NLLB text tower: the FLORES-200 codes a [language] may name
                    builder.field("languages", model.languages());
                }
            } else if (failures.containsKey(name)) {
                // the registry's reasons name files relative to clip-models/, never by the node's absolute paths
                builder.field("load_error", failures.get(name));
            }
            // the fields whose vectors it made: by its files once loaded (a renamed copy made the same vectors), else by name
            builder.startArray("vector_fields");
            for (VectorModels.Stamp stamp : stamps) {
                boolean made = model != null ? stamp.model().sha256().equals(model.fingerprint()) : stamp.model().name().equals(name);
                if (made) {
                    builder.startObject().field("index", stamp.index()).field("field", stamp.field()).endObject();
                }
            }
            builder.endArray();
            // the pipelines that run it and the indices that run those by default: what changing or deleting it touches
            builder.startArray("pipelines");
            for (PipelineModels.Use use : pipelines.getOrDefault(name, List.of())) {
                builder.startObject().field("pipeline", use.pipeline()).field("indices", use.indices()).endObject();
            }
            builder.endArray();
            // every node's own state of it: each loads a model on its first use there, or on _deploy
            nodes.modelOnNodes(builder, name);
            builder.endObject();
        }
        builder.endArray();
        nodes.failures(builder);
        builder.endObject();
        channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
    }
}
