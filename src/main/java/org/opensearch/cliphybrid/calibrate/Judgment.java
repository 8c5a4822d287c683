package org.opensearch.cliphybrid.calibrate;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** One judged query: its text, and the ids of the documents that answer it (every other hit counts as not relevant). */
public record Judgment(String queryText, List<String> relevant) implements Writeable {
    public Judgment {
        relevant = List.copyOf(relevant);
    }

    public Judgment(StreamInput in) throws IOException {
        this(in.readString(), in.readStringList());
    }

    public Set<String> relevantSet() {
        return Set.copyOf(relevant);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(queryText);
        out.writeStringCollection(relevant);
    }
}
