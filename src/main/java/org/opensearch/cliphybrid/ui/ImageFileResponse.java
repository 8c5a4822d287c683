package org.opensearch.cliphybrid.ui;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.rest.RestStatus;

import java.io.IOException;

/** An image with the type its signature tells, or, for anything else, a 404 with the reason. */
public final class ImageFileResponse extends ActionResponse {
    private final String contentType;
    private final byte[] body;
    private final String error;

    private ImageFileResponse(String contentType, byte[] body, String error) {
        this.contentType = contentType;
        this.body = body;
        this.error = error;
    }

    public ImageFileResponse(StreamInput in) throws IOException {
        super(in);
        this.contentType = in.readOptionalString();
        this.body = in.readBoolean() ? in.readByteArray() : null;
        this.error = in.readOptionalString();
    }

    static ImageFileResponse image(String contentType, byte[] body) {
        return new ImageFileResponse(contentType, body, null);
    }

    static ImageFileResponse notFound(String error) {
        return new ImageFileResponse(null, null, error);
    }

    public RestStatus status() {
        return body == null ? RestStatus.NOT_FOUND : RestStatus.OK;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body;
    }

    public String error() {
        return error;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(contentType);
        out.writeBoolean(body != null);
        if (body != null) {
            out.writeByteArray(body);
        }
        out.writeOptionalString(error);
    }
}
