package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST _plugins/clip/models/<name>/_deploy}: loads the model on the node that answers, as its first use would, so that
 * the first document or query does not wait for it. A registered model is fetched from the system index and checked first.
 * The load runs on the inference pool, as every load does.
 */
public final class RestDeployModelAction extends BaseRestHandler {
    public static final String PATH = RestModelsAction.PATH + "/{name}/_deploy";

    private final Supplier<InferenceService> inference;
    private final Supplier<ModelRegistry> models;

    public RestDeployModelAction(Supplier<InferenceService> inference, Supplier<ModelRegistry> models) {
        this.inference = inference;
        this.models = models;
    }

    @Override
    public String getName() {
        return "clip_deploy_model_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.POST, PATH, ClipActionNames.MODEL_DEPLOY));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String name = request.param("name");
        ModelRegistry.checkName(name);
        String node = client.getLocalNodeId();
        return channel -> inference.get().execute(name, model -> model, ActionListener.wrap(model -> {
            XContentBuilder builder = channel.newBuilder().startObject()
                .field("name", name)
                .field("node", node)
                .field("loaded", true)
                .field("source", models.get().isRegistered(name) ? "registered" : "folder")
                .field("family", model.folder().family().displayName())
                .field("dimension", model.dimension())
                .field("sha256", model.fingerprint())
                .field("load_millis", model.loadMillis())
                .endObject();
            channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
        }, e -> {
            try {
                channel.sendResponse(new BytesRestResponse(channel, e));
            } catch (IOException io) {
                channel.sendResponse(new BytesRestResponse(RestStatus.INTERNAL_SERVER_ERROR, "could not send the failure: " + io.getMessage()));
            }
        }));
    }
}
