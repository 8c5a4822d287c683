package org.opensearch.cliphybrid.calibrate;

import org.opensearch.action.ActionType;
import org.opensearch.action.support.clustermanager.AcknowledgedResponse;

public final class DeleteProfileAction extends ActionType<AcknowledgedResponse> {
    public static final String NAME = "cluster:admin/clip/profile/delete";
    public static final DeleteProfileAction INSTANCE = new DeleteProfileAction();

    private DeleteProfileAction() {
        super(NAME, AcknowledgedResponse::new);
    }
}
