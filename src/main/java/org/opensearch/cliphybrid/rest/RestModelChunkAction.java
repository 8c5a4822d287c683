package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.model.registered.ModelStoreActions;
import org.opensearch.cliphybrid.model.registered.ModelStoreRequest;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

/**
 * {@code PUT _plugins/clip/models/<name>/_chunk/<n>} with {@code {"data": "<base64>"}}: part {@code n} of the zip of a model
 * folder. The bytes go base64 in JSON because the REST layer takes only bodies of an XContent type, not
 * {@code application/octet-stream}.
 */
public final class RestModelChunkAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/models/{name}/_chunk/{n}";

    @Override
    public String getName() {
        return "clip_model_chunk_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.PUT, PATH, ClipActionNames.MODEL_CHUNK));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String name = request.param("name");
        int n = chunkNumber(request.param("n"));
        byte[] data = null;
        if (request.hasContent() == false) {
            throw new IllegalArgumentException("chunk [" + n + "] of CLIP model [" + name + "] needs a body {\"data\": \"<base64>\"}");
        }
        try (XContentParser parser = request.contentParser()) {
            if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException("chunk body must be a JSON object {\"data\": \"<base64>\"}");
            }
            while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("data".equals(field) && parser.currentToken() == XContentParser.Token.VALUE_STRING) {
                    try {
                        data = parser.binaryValue();
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("[data] of chunk [" + n + "] is not base64: " + e.getMessage());
                    }
                } else {
                    throw new IllegalArgumentException("chunk body takes only [data], a base64 string; got [" + field + "]");
                }
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("chunk [" + n + "] of CLIP model [" + name + "] needs [data], a base64 string");
        }
        // its size and number are checked against plugins.clip.model.registered.* where the chunk is stored
        ModelStoreRequest chunk = new ModelStoreRequest(name, n, new BytesArray(data));
        return channel -> client.executeLocally(ModelStoreActions.CHUNK, chunk, new RestToXContentListener<>(channel));
    }

    private static int chunkNumber(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException("chunk number must be a whole number from 0, got [" + value + "]");
    }
}
