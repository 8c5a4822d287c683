package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.calibrate.CalibrateAction;
import org.opensearch.cliphybrid.calibrate.CalibrateRequest;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST <index>/_plugins/clip/_calibrate}: fits {@code clip_hybrid}'s fusion parameters to judged queries on that index
 * (docs/calibration.md). It answers when done; closing the connection cancels it.
 */
public final class RestCalibrateAction extends BaseRestHandler {
    public static final String PATH = "/{index}/_plugins/clip/_calibrate";

    @Override
    public String getName() {
        return "clip_calibrate_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.POST, PATH, ClipActionNames.CALIBRATE));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        if (request.hasContent() == false) {
            throw new IllegalArgumentException("a calibrate request needs a body with [query] and [judgments]");
        }
        String index = request.param("index");
        CalibrateRequest calibrate;
        try (XContentParser parser = request.contentParser()) {
            calibrate = CalibrateRequest.parse(index, parser);
        }
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
            CalibrateAction.INSTANCE,
            calibrate,
            new RestToXContentListener<>(channel)
        );
    }
}
