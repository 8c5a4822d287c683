package org.opensearch.cliphybrid.calibrate;

import org.opensearch.action.ActionType;

public final class CalibrateAction extends ActionType<CalibrateResponse> {
    public static final String NAME = "cluster:admin/clip/calibrate";
    public static final CalibrateAction INSTANCE = new CalibrateAction();

    private CalibrateAction() {
        super(NAME, CalibrateResponse::new);
    }
}
