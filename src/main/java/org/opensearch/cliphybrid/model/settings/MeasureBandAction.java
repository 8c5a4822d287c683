package org.opensearch.cliphybrid.model.settings;

import org.opensearch.action.ActionType;

/** {@code POST _plugins/clip/models/<name>/_measure_band}. */
public final class MeasureBandAction extends ActionType<MeasureBandResponse> {
    public static final String NAME = "cluster:admin/clip/models/measure_band";
    public static final MeasureBandAction INSTANCE = new MeasureBandAction();

    private MeasureBandAction() {
        super(NAME, MeasureBandResponse::new);
    }
}
