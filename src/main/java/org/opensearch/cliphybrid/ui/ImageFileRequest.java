package org.opensearch.cliphybrid.ui;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;

/** The path of an image file, relative to {@code plugins.clip.images.path}, as the page's URL gave it (possibly empty). */
public final class ImageFileRequest extends ActionRequest {
    private final String path;

    public ImageFileRequest(String path) {
        this.path = path;
    }

    public ImageFileRequest(StreamInput in) throws IOException {
        super(in);
        this.path = in.readOptionalString();
    }

    public String path() {
        return path;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeOptionalString(path);
    }

    @Override
    public ActionRequestValidationException validate() {
        // an empty or missing path is answered with a 404 like any other file that is not there, not refused as a bad request
        return null;
    }
}
