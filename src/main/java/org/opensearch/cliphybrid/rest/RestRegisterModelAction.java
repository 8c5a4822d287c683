package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.model.registered.ModelStoreActions;
import org.opensearch.cliphybrid.model.registered.ModelStoreRequest;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST _plugins/clip/models/<name>/_register}: joins the uploaded chunks and registers the model folder in them, or,
 * with {@code {"url": ...}}, fetches the zip from there first (see {@link RegisterBody}).
 */
public final class RestRegisterModelAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/models/{name}/_register";

    @Override
    public String getName() {
        return "clip_register_model_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.POST, PATH, ClipActionNames.MODEL_REGISTER));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String name = request.param("name");
        ModelStoreRequest register;
        if (request.hasContent()) {
            try (XContentParser parser = request.contentParser()) {
                register = RegisterBody.parse(name, parser);
            }
        } else {
            register = new ModelStoreRequest(name);
        }
        return channel -> client.executeLocally(ModelStoreActions.REGISTER, register, new RestToXContentListener<>(channel));
    }
}
