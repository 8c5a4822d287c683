package org.opensearch.cliphybrid.harvest;

import org.opensearch.core.tasks.TaskId;
import org.opensearch.tasks.CancellableTask;

import java.util.Map;

/** A running harvest: {@code GET _tasks/<id>} shows its live counts, and {@code _tasks/<id>/_cancel} stops it between requests. */
public final class HarvestTask extends CancellableTask {
    private final HarvestProgress progress = new HarvestProgress();

    public HarvestTask(long id, String type, String action, String description, TaskId parentTaskId, Map<String, String> headers) {
        super(id, type, action, description, parentTaskId, headers);
    }

    public HarvestProgress progress() {
        return progress;
    }

    @Override
    public HarvestStatus getStatus() {
        return progress.snapshot();
    }

    @Override
    public boolean shouldCancelChildrenOnCancellation() {
        return true;
    }
}
