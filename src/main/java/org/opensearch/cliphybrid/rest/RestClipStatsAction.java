package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.stats.ClipStatsAction;
import org.opensearch.cliphybrid.stats.ClipStatsRequest;
import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

/**
 * {@code GET _plugins/clip/stats}: every node's image, embedding, batch, latency, queue and model figures, gathered over the
 * transport layer so that one call shows the whole cluster. {@code ?nodes=} narrows it (ids, names, {@code _local}, ...).
 */
public final class RestClipStatsAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/stats";

    @Override
    public String getName() {
        return "clip_stats_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.GET, PATH, ClipActionNames.STATS));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ClipStatsRequest stats = new ClipStatsRequest(Strings.splitStringByCommaToArray(request.param("nodes", "")));
        return channel -> client.execute(ClipStatsAction.INSTANCE, stats, new RestToXContentListener<>(channel));
    }
}
