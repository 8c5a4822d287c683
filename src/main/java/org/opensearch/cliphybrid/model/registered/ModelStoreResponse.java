package org.opensearch.cliphybrid.model.registered;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/** What a chunk upload, a registration or a delete did, as the JSON object the client gets. */
public final class ModelStoreResponse extends ActionResponse implements ToXContentObject {
    private final Map<String, Object> body;

    public ModelStoreResponse(Map<String, Object> body) {
        this.body = body;
    }

    public ModelStoreResponse(StreamInput in) throws IOException {
        super(in);
        body = in.readMap();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeMap(body);
    }

    public Map<String, Object> body() {
        return body;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.map(body);
    }
}
