package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * One model as one node holds it: loaded (with how long the load took, when it ended and the bytes of the ONNX files it
 * loaded) or not loaded, with the reason of its last failed load when the node still remembers one.
 *
 * @param source    {@code folder} or {@code registered}, as this node serves it
 * @param onnxBytes the sizes on disk of the ONNX graphs the node loaded (each file once), -1 when they are gone since; ONNX
 *                  Runtime holds about that much per model, plus its working memory, which no API reports
 */
public record ModelNodeState(
    String name,
    String source,
    boolean loaded,
    long loadMillis,
    long loadedAtMillis,
    long onnxBytes,
    String loadError
)
    implements
        Writeable,
        ToXContentFragment {

    public static ModelNodeState loaded(String name, String source, long loadMillis, long loadedAtMillis, long onnxBytes) {
        return new ModelNodeState(name, source, true, loadMillis, loadedAtMillis, onnxBytes, null);
    }

    public static ModelNodeState failed(String name, String source, String reason) {
        return new ModelNodeState(name, source, false, -1, -1, -1, reason);
    }

    public ModelNodeState(StreamInput in) throws IOException {
        this(in.readString(), in.readString(), in.readBoolean(), in.readLong(), in.readLong(), in.readLong(), in.readOptionalString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(name);
        out.writeString(source);
        out.writeBoolean(loaded);
        out.writeLong(loadMillis);
        out.writeLong(loadedAtMillis);
        out.writeLong(onnxBytes);
        out.writeOptionalString(loadError);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("loaded", loaded).field("source", source);
        if (loaded) {
            builder.field("load_millis", loadMillis).field("loaded_at_millis", loadedAtMillis).field("onnx_bytes", onnxBytes);
        }
        if (loadError != null) {
            builder.field("load_error", loadError);
        }
        return builder;
    }
}
