package org.opensearch.cliphybrid.harvest;

import org.opensearch.core.tasks.TaskId;
import org.opensearch.tasks.CancellableTask;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A running harvest: {@code GET _tasks/<id>} shows its live counts, and {@code _tasks/<id>/_cancel} stops it between requests. */
public final class HarvestTask extends CancellableTask {
    private final HarvestProgress progress = new HarvestProgress();
    private final CountDownLatch cancelled = new CountDownLatch(1);

    public HarvestTask(long id, String type, String action, String description, TaskId parentTaskId, Map<String, String> headers) {
        super(id, type, action, description, parentTaskId, headers);
    }

    public HarvestProgress progress() {
        return progress;
    }

    /**
     * Sleeps {@code millis}, or less when the task is cancelled meanwhile: a harvest waits between requests to a host for up to
     * {@link HarvestRequest#MAX_HOST_DELAY}, and a cancel should not wait that out.
     */
    public void sleepUnlessCancelled(long millis) throws InterruptedException {
        cancelled.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void onCancelled() {
        cancelled.countDown();
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
