package org.opensearch.cliphybrid.model.registered;

import org.opensearch.action.ActionType;

/** The named actions of models registered through the cluster; a role grants each as a cluster permission. */
public final class ModelStoreActions {
    public static final ActionType<ModelStoreResponse> CHUNK = new ActionType<>("cluster:admin/clip/models/chunk", ModelStoreResponse::new);
    public static final ActionType<ModelStoreResponse> REGISTER = new ActionType<>(
        "cluster:admin/clip/models/register",
        ModelStoreResponse::new
    );
    public static final ActionType<ModelStoreResponse> DELETE = new ActionType<>("cluster:admin/clip/models/delete", ModelStoreResponse::new);

    private ModelStoreActions() {}
}
