package org.opensearch.cliphybrid.harvest;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/** Runs a harvest on the node that received it, on the plugin's harvest pool, since it blocks on the network for long spans. */
public final class TransportHarvestAction extends HandledTransportAction<HarvestRequest, HarvestResponse> {
    public static final String THREAD_POOL = "clip_harvest";

    private final Harvester harvester;
    private final ThreadPool threadPool;
    private final ClusterService clusterService;

    @Inject
    public TransportHarvestAction(
        TransportService transportService,
        ActionFilters actionFilters,
        ThreadPool threadPool,
        ClusterService clusterService,
        Harvester harvester
    ) {
        super(HarvestAction.NAME, transportService, actionFilters, HarvestRequest::new);
        this.harvester = harvester;
        this.threadPool = threadPool;
        this.clusterService = clusterService;
    }

    @Override
    protected void doExecute(Task task, HarvestRequest request, ActionListener<HarvestResponse> listener) {
        TaskId taskId = new TaskId(clusterService.localNode().getId(), task.getId());
        threadPool.executor(THREAD_POOL)
            .execute(ActionRunnable.supply(listener, () -> harvester.run(request, (HarvestTask) task, taskId)));
    }
}
