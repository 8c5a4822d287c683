package org.opensearch.cliphybrid.stats;

import org.opensearch.action.ActionType;

/** Gathers every node's {@link NodeClipStats}, so that {@code GET _plugins/clip/stats} shows the whole cluster. */
public final class ClipStatsAction extends ActionType<ClipStatsResponse> {
    public static final String NAME = "cluster:monitor/clip/stats";
    public static final ClipStatsAction INSTANCE = new ClipStatsAction();

    private ClipStatsAction() {
        super(NAME, ClipStatsResponse::new);
    }
}
