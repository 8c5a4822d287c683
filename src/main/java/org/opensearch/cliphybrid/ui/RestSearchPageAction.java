package org.opensearch.cliphybrid.ui;

import org.opensearch.cliphybrid.rest.ClipActionNames;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

/**
 * {@code GET _plugins/clip/ui}: the search page, and its script and style sheet under {@code _plugins/clip/ui/<name>}. The
 * page is static; it searches through the cluster's own {@code _search} API from the browser, on the same origin.
 */
public final class RestSearchPageAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/ui";
    /**
     * The page runs only its own script and style and talks only to its own origin; thumbnails may come from anywhere, since
     * documents may name images by URL.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src * data: blob:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final UiAssets assets;

    public RestSearchPageAction(UiAssets assets) {
        this.assets = assets;
    }

    @Override
    public String getName() {
        return "clip_search_page_action";
    }

    @Override
    public List<Route> routes() {
        // one name for the page and its files: a role that may open the page may also load its script
        return List.of(
            ClipActionNames.route(RestRequest.Method.GET, PATH, ClipActionNames.UI_PAGE),
            ClipActionNames.route(RestRequest.Method.GET, PATH + "/{asset}", ClipActionNames.UI_PAGE)
        );
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        consumeAll(request);
        UiAssets.Asset asset = assets.get(request.param("asset"));
        return channel -> {
            if (asset == null) {
                channel.sendResponse(notFound("no such file of the search page [" + request.param("asset") + "]"));
                return;
            }
            BytesRestResponse response = new BytesRestResponse(RestStatus.OK, asset.contentType(), asset.bytes());
            response.addHeader("Content-Security-Policy", PAGE_POLICY);
            response.addHeader("X-Content-Type-Options", "nosniff");
            // the plugin may be reinstalled with a new page; a revalidation is cheap next to a stale script
            response.addHeader("Cache-Control", "no-cache");
            channel.sendResponse(response);
        };
    }

    /**
     * The page keeps its state in its own URL ({@code ?index=…&q=…&f.<field>=…}) so that a reload or a shared link shows the
     * same search; those parameters are the script's, read in the browser, and naming them here would break every link the
     * moment the script writes a new one. The server answers the same static file whatever they say.
     */
    private static void consumeAll(RestRequest request) {
        for (String name : List.copyOf(request.params().keySet())) {
            request.param(name);
        }
    }

    static BytesRestResponse notFound(String message) {
        BytesRestResponse response = new BytesRestResponse(RestStatus.NOT_FOUND, "text/plain; charset=UTF-8", message);
        response.addHeader("X-Content-Type-Options", "nosniff");
        return response;
    }
}
