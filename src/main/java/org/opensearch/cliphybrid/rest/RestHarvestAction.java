package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.harvest.HarvestAction;
import org.opensearch.cliphybrid.harvest.HarvestRequest;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.tasks.LoggingTaskListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST _plugins/clip/_harvest}: harvests images from web pages into an index as a task. By default it answers with the
 * summary when done; with {@code wait_for_completion=false} it answers at once with the task id to follow in {@code _tasks}.
 */
public final class RestHarvestAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/_harvest";

    @Override
    public String getName() {
        return "clip_harvest_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.POST, PATH, ClipActionNames.HARVEST));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        if (request.hasContentOrSourceParam() == false) {
            throw new IllegalArgumentException("a harvest request needs a body with at least [urls] and [index]");
        }
        HarvestRequest harvest;
        try (XContentParser parser = request.contentOrSourceParamParser()) {
            harvest = HarvestRequest.parse(parser);
        }
        boolean wait = request.paramAsBoolean("wait_for_completion", true);
        if (wait) {
            return channel -> client.executeLocally(HarvestAction.INSTANCE, harvest, new RestToXContentListener<>(channel));
        }
        harvest.setShouldStoreResult(true);
        return channel -> {
            Task task = client.executeLocally(HarvestAction.INSTANCE, harvest, LoggingTaskListener.instance());
            channel.sendResponse(
                new BytesRestResponse(
                    RestStatus.OK,
                    channel.newBuilder().startObject().field("task", client.getLocalNodeId() + ":" + task.getId()).endObject()
                )
            );
        };
    }
}
