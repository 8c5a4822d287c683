package org.opensearch.cliphybrid.calibrate;

import org.opensearch.cliphybrid.query.profile.Profile;
import org.opensearch.cliphybrid.query.profile.ParameterGrid;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cliphybrid.ClipSettings;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.query.ClipHybridOptions;
import org.opensearch.cliphybrid.query.ClipHybridQueryBuilder;
import org.opensearch.cliphybrid.query.QueryEncoder;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

/**
 * Fits the fusion parameters on the node that received the request. Everything after the checks is asynchronous: each
 * search's answer starts the next one (at most {@link BoundedSearches#IN_FLIGHT} at a time), so no thread waits for the
 * calibration. The searches run with the caller's rights; storing the profile writes into the plugin's own index.
 */
public final class TransportCalibrateAction extends HandledTransportAction<CalibrateRequest, CalibrateResponse> {
    private final Client client;
    private final ThreadPool threadPool;
    private final ClusterService clusterService;
    private final InferenceService inference;
    private final QueryEncoder encoder;

    @Inject
    public TransportCalibrateAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ThreadPool threadPool,
        ClusterService clusterService,
        InferenceService inference,
        QueryEncoder encoder
    ) {
        super(CalibrateAction.NAME, transportService, actionFilters, CalibrateRequest::new);
        this.client = client;
        this.threadPool = threadPool;
        this.clusterService = clusterService;
        this.inference = inference;
        this.encoder = encoder;
    }

    @Override
    protected void doExecute(Task task, CalibrateRequest request, ActionListener<CalibrateResponse> listener) {
        long start = System.nanoTime();
        ParameterGrid grid;
        try {
            grid = ParameterGrid.standard(encoder.calibrationOf(request.query().model()));
            request.checkSearches(grid.size());
        } catch (IllegalArgumentException e) {
            listener.onFailure(e);
            return;
        }
        TimeValue limit = clusterService.getClusterSettings().get(ClipSettings.CALIBRATE_MAX_TIME);
        long deadline = start + limit.nanos();
        BoundedSearches searches = new BoundedSearches(
            client,
            threadPool.generic(),
            task instanceof CancellableTask c ? c : null,
            (done, total) -> System.nanoTime() > deadline
                ? BoundedSearches.tooLong(ClipSettings.CALIBRATE_MAX_TIME.getKey(), limit, done, total)
                : null
        );
        String parent = clusterService.localNode().getId();
        Calibrator calibrator = new Calibrator(searches, options -> search(request, options, parent, task.getId()));
        calibrator.run(request, grid, ActionListener.wrap(fit -> {
            if (request.profile() == null) {
                listener.onResponse(response(request, fit, start));
                return;
            }
            Profile profile = new Profile(
                request.profile(),
                request.index(),
                inference.resolve(request.query().model()),
                fit.parameters(),
                request.metric().toString(),
                fit.train().best(),
                fit.holdout().best(),
                System.currentTimeMillis()
            );
            encoder.profiles().put(client, profile, ActionListener.wrap(v -> listener.onResponse(response(request, fit, start)), listener::onFailure));
        }, listener::onFailure));
    }

    private CalibrateResponse response(CalibrateRequest request, Calibrator.Fit fit, long start) {
        long took = TimeValue.nsecToMSec(System.nanoTime() - start);
        return new CalibrateResponse(request.metric().toString(), fit.train(), fit.holdout(), fit.parameters(), fit.gridPoints(), took, request.profile());
    }

    /** The judged query as a user would run it, for its ids only. */
    private SearchRequest search(CalibrateRequest request, ClipHybridOptions options, String node, long taskId) {
        SearchSourceBuilder source = new SearchSourceBuilder().query(new ClipHybridQueryBuilder(options, encoder))
            .size(request.metric().k())
            .fetchSource(false)
            .trackTotalHits(false);
        SearchRequest search = new SearchRequest(request.index()).source(source);
        search.setParentTask(node, taskId);
        return search;
    }
}
