package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;

/**
 * A registered model by name; for a chunk upload also the chunk's number and bytes; for a registration from a URL the URL
 * and, optionally, the SHA-256 the zip must have.
 */
public final class ModelStoreRequest extends ActionRequest {
    private final String name;
    private final int chunk;
    private final BytesReference bytes;
    private final String url;
    private final String sha256;

    public ModelStoreRequest(String name) {
        this(name, -1, BytesArray.EMPTY);
    }

    public ModelStoreRequest(String name, int chunk, BytesReference bytes) {
        this(name, chunk, bytes, null, null);
    }

    /** A registration from {@code url}; {@code sha256} (lower-case hex) may be null. */
    public ModelStoreRequest(String name, String url, String sha256) {
        this(name, -1, BytesArray.EMPTY, url, sha256);
    }

    private ModelStoreRequest(String name, int chunk, BytesReference bytes, String url, String sha256) {
        this.name = RegisteredModelName.check(name);
        this.chunk = chunk;
        this.bytes = bytes;
        this.url = url;
        this.sha256 = sha256;
    }

    public ModelStoreRequest(StreamInput in) throws IOException {
        super(in);
        name = in.readString();
        chunk = in.readInt();
        bytes = in.readBytesReference();
        url = in.readOptionalString();
        sha256 = in.readOptionalString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(name);
        out.writeInt(chunk);
        out.writeBytesReference(bytes);
        out.writeOptionalString(url);
        out.writeOptionalString(sha256);
    }

    /** The URL to fetch the zip from, or null when the chunks were uploaded. */
    public String url() {
        return url;
    }

    /** The SHA-256 the fetched zip must have, or null. */
    public String sha256() {
        return sha256;
    }

    public String name() {
        return name;
    }

    public int chunk() {
        return chunk;
    }

    public BytesReference bytes() {
        return bytes;
    }

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }
}
