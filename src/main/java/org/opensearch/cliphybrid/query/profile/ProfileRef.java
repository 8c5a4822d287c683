package org.opensearch.cliphybrid.query.profile;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code clip_hybrid} query's {@code "profile"}: the stored parameters to use, and which of the parameters a profile may
 * set the request gave itself (those win over the profile's). The coordinator's rewrite reads the profile and drops this.
 */
public record ProfileRef(String name, Set<String> given) implements Writeable {
    public ProfileRef {
        Profile.checkName("profile", name);
        given = Set.copyOf(given);
    }

    public ProfileRef(StreamInput in) throws IOException {
        this(in.readString(), Set.copyOf(in.readStringList()));
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(name);
        out.writeStringCollection(new TreeSet<>(given));
    }
}
