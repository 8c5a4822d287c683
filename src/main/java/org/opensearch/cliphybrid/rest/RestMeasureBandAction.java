package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.model.settings.MeasureBandAction;
import org.opensearch.cliphybrid.model.settings.MeasureBandRequest;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

/** {@code POST _plugins/clip/models/<name>/_measure_band}: a model's cosine band measured on an index's own documents. */
public final class RestMeasureBandAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/models/{name}/_measure_band";

    @Override
    public String getName() {
        return "clip_measure_band_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.POST, PATH, ClipActionNames.MEASURE_BAND));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        if (request.hasContentOrSourceParam() == false) {
            throw new IllegalArgumentException("[_measure_band] needs a body with [index], [vector_field] and [text_field]");
        }
        MeasureBandRequest measure;
        try (XContentParser parser = request.contentOrSourceParamParser()) {
            measure = MeasureBandRequest.parse(request.param("name"), parser);
        }
        return channel -> client.executeLocally(MeasureBandAction.INSTANCE, measure, new RestToXContentListener<>(channel));
    }
}
