package org.opensearch.cliphybrid.ui;

import org.opensearch.cliphybrid.inference.ImageInputs;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET _plugins/clip/ui/image/<path>}: an image file under {@code clip.images.path}, so that the search page can show
 * documents whose image is a file name. The read goes through the same loader as ingest, with the same confinement (no
 * {@code ..}, no symbolic link out of the folder) and byte cap; only bytes that are an image are served, under the type their
 * signature tells. Anything else is a 404. Sub-folders are written with {@code %2F}, since a path parameter is one segment.
 */
public final class RestImageFileAction extends BaseRestHandler {
    public static final String PATH = RestSearchPageAction.PATH + "/image/{path}";

    /** What a request gets: an image, or a 404 with the reason. */
    record Reply(RestStatus status, String contentType, byte[] body, String error) {}

    private final Supplier<ImageInputs> images;

    public RestImageFileAction(Supplier<ImageInputs> images) {
        this.images = images;
    }

    @Override
    public String getName() {
        return "clip_image_file_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, PATH));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String path = request.param("path");
        ImageInputs inputs = images.get();
        // a file read is blocking I/O, which has no place on the network thread
        return channel -> client.threadPool().executor(ThreadPool.Names.GENERIC).execute(() -> {
            Reply reply = read(inputs, path);
            if (reply.status() != RestStatus.OK) {
                channel.sendResponse(RestSearchPageAction.notFound(reply.error()));
                return;
            }
            BytesRestResponse response = new BytesRestResponse(RestStatus.OK, reply.contentType(), reply.body());
            response.addHeader("X-Content-Type-Options", "nosniff");
            response.addHeader("Content-Security-Policy", "default-src 'none'");
            response.addHeader("Cache-Control", "max-age=3600");
            channel.sendResponse(response);
        });
    }

    static Reply read(ImageInputs inputs, String path) {
        if (path == null || path.isBlank()) {
            return notFound("no image path given");
        }
        byte[] bytes;
        try {
            bytes = inputs.readFile(path);
        } catch (Exception e) {
            // every refusal (outside the folder, missing, too large, no images folder at all) is the same 404 to a browser
            return notFound(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        String type = ImageKind.of(bytes);
        if (type == null) {
            return notFound("[" + path + "] is not a JPEG, PNG, GIF, WebP or BMP image");
        }
        return new Reply(RestStatus.OK, type, bytes, null);
    }

    private static Reply notFound(String error) {
        return new Reply(RestStatus.NOT_FOUND, null, null, error);
    }
}
