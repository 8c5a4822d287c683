package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.action.ActionType;

/**
 * Loads one model on every node asked (all by default), as each node's first use would, and answers each node's state of
 * it: what {@code POST _plugins/clip/models/<name>/_deploy} runs, so that no node's first document or query waits for a load.
 */
public final class DeployModelAction extends ActionType<ModelNodesResponse> {
    public static final String NAME = "cluster:admin/clip/models/deploy";
    public static final DeployModelAction INSTANCE = new DeployModelAction();

    private DeployModelAction() {
        super(NAME, ModelNodesResponse::new);
    }
}
