package org.opensearch.cliphybrid.calibrate;

import org.opensearch.action.ActionType;

public final class GetProfileAction extends ActionType<ProfileResponse> {
    public static final String NAME = "cluster:admin/clip/profile/get";
    public static final GetProfileAction INSTANCE = new GetProfileAction();

    private GetProfileAction() {
        super(NAME, ProfileResponse::new);
    }
}
