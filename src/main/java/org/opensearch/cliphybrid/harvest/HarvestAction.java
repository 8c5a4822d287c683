package org.opensearch.cliphybrid.harvest;

import org.opensearch.action.ActionType;

public final class HarvestAction extends ActionType<HarvestResponse> {
    public static final String NAME = "cluster:admin/clip/harvest";
    public static final HarvestAction INSTANCE = new HarvestAction();

    private HarvestAction() {
        super(NAME, HarvestResponse::new);
    }
}
