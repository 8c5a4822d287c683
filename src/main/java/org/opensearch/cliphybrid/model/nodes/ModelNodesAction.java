package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.action.ActionType;

/** Gathers every node's {@link ModelNodeState}s, so that {@code GET _plugins/clip/models} shows each model on each node. */
public final class ModelNodesAction extends ActionType<ModelNodesResponse> {
    public static final String NAME = "cluster:monitor/clip/models/nodes";
    public static final ModelNodesAction INSTANCE = new ModelNodesAction();

    private ModelNodesAction() {
        super(NAME, ModelNodesResponse::new);
    }
}
