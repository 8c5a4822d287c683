package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.model.registered.ModelStoreActions;
import org.opensearch.cliphybrid.model.registered.ModelStoreRequest;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

/** {@code DELETE _plugins/clip/models/<name>}: a registered model and its uploaded chunks (model folders stay as they are). */
public final class RestDeleteModelAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/models/{name}";

    @Override
    public String getName() {
        return "clip_delete_model_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.DELETE, PATH, ClipActionNames.MODEL_DELETE));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ModelStoreRequest delete = new ModelStoreRequest(request.param("name"));
        return channel -> client.executeLocally(ModelStoreActions.DELETE, delete, new RestToXContentListener<>(channel));
    }
}
