package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.calibrate.DeleteProfileAction;
import org.opensearch.cliphybrid.calibrate.ProfileRequest;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

/** {@code DELETE _plugins/clip/profiles/<name>}: a profile that {@code _calibrate} stored. */
public final class RestDeleteProfileAction extends BaseRestHandler {
    public static final String PATH = RestProfileAction.PATH;

    @Override
    public String getName() {
        return "clip_delete_profile_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.DELETE, PATH, ClipActionNames.PROFILE_DELETE));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ProfileRequest profile = new ProfileRequest(request.param("name"));
        return channel -> client.executeLocally(DeleteProfileAction.INSTANCE, profile, new RestToXContentListener<>(channel));
    }
}
