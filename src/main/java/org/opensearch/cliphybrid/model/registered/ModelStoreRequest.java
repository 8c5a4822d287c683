package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;

/** A registered model by name; for a chunk upload also the chunk's number and bytes. */
public final class ModelStoreRequest extends ActionRequest {
    private final String name;
    private final int chunk;
    private final BytesReference bytes;

    public ModelStoreRequest(String name) {
        this(name, -1, BytesArray.EMPTY);
    }

    public ModelStoreRequest(String name, int chunk, BytesReference bytes) {
        this.name = RegisteredModelName.check(name);
        this.chunk = chunk;
        this.bytes = bytes;
    }

    public ModelStoreRequest(StreamInput in) throws IOException {
        super(in);
        name = in.readString();
        chunk = in.readInt();
        bytes = in.readBytesReference();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(name);
        out.writeInt(chunk);
        out.writeBytesReference(bytes);
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
