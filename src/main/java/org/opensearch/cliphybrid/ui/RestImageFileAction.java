package org.opensearch.cliphybrid.ui;

import org.opensearch.cliphybrid.rest.ClipActionNames;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActionListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

/**
 * {@code GET _plugins/clip/ui/image/<path>}: an image file under {@code plugins.clip.images.path}, so that the search page can show
 * documents whose image is a file name. The read is {@link ImageFileAction}, which a security role grants by name; anything
 * that is not an image in the folder is a 404. Sub-folders are written with {@code %2F}, since a path parameter is one segment.
 */
public final class RestImageFileAction extends BaseRestHandler {
    public static final String PATH = RestSearchPageAction.PATH + "/image/{path}";

    @Override
    public String getName() {
        return "clip_image_file_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.GET, PATH, ClipActionNames.UI_IMAGE));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ImageFileRequest read = new ImageFileRequest(request.param("path"));
        return channel -> client.executeLocally(ImageFileAction.INSTANCE, read, new RestActionListener<>(channel) {
            @Override
            protected void processResponse(ImageFileResponse reply) {
                channel.sendResponse(toRest(reply));
            }
        });
    }

    static BytesRestResponse toRest(ImageFileResponse reply) {
        if (reply.status() != RestStatus.OK) {
            return RestSearchPageAction.notFound(reply.error());
        }
        BytesRestResponse response = new BytesRestResponse(RestStatus.OK, reply.contentType(), reply.body());
        response.addHeader("X-Content-Type-Options", "nosniff");
        response.addHeader("Content-Security-Policy", "default-src 'none'");
        response.addHeader("Cache-Control", "max-age=3600");
        return response;
    }
}
