package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.calibrate.GetProfileAction;
import org.opensearch.cliphybrid.calibrate.ProfileRequest;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

/** {@code GET _plugins/clip/profiles/<name>}: a profile that {@code _calibrate} stored. */
public final class RestProfileAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/profiles/{name}";

    @Override
    public String getName() {
        return "clip_profile_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.GET, PATH, ClipActionNames.PROFILE_GET));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ProfileRequest profile = new ProfileRequest(request.param("name"));
        return channel -> client.executeLocally(GetProfileAction.INSTANCE, profile, new RestToXContentListener<>(channel));
    }
}
