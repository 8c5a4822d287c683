package org.opensearch.cliphybrid.calibrate;

import org.opensearch.cliphybrid.query.profile.Profile;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;

/** A stored profile by name, for {@code GET} and {@code DELETE _plugins/clip/profiles/<name>}. */
public final class ProfileRequest extends ActionRequest {
    private final String name;

    public ProfileRequest(String name) {
        this.name = Profile.checkName("name", name);
    }

    public ProfileRequest(StreamInput in) throws IOException {
        super(in);
        name = in.readString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(name);
    }

    public String name() {
        return name;
    }

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }
}
