package org.opensearch.cliphybrid.calibrate;

import org.opensearch.cliphybrid.query.profile.Profile;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** One stored profile, as the system index holds it. */
public final class ProfileResponse extends ActionResponse implements ToXContentObject {
    private final Profile profile;

    public ProfileResponse(Profile profile) {
        this.profile = profile;
    }

    public ProfileResponse(StreamInput in) throws IOException {
        super(in);
        profile = new Profile(in);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        profile.writeTo(out);
    }

    public Profile profile() {
        return profile;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return profile.toXContent(builder, params);
    }
}
