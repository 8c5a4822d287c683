package org.opensearch.cliphybrid.calibrate;

import org.opensearch.cliphybrid.query.profile.ParameterGrid;
import org.opensearch.cliphybrid.query.profile.MetricValues;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.cliphybrid.query.ClipHybridOptions;
import org.opensearch.core.action.ActionListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fit, in three rounds of searches: every judged query with the query as given (the default), the fitted queries at
 * every grid point, and the held-out queries with the best point. The best point is the one with the highest mean metric
 * on the fitted queries (the first one in grid order on a tie); the held-out queries only measure it.
 */
final class Calibrator {
    /** The best point's parameters, and the metrics of the default and the best on each part. */
    record Fit(Map<String, Object> parameters, CalibrateResponse.Part train, CalibrateResponse.Part holdout, int gridPoints) {}

    private final BoundedSearches searches;
    private final Function<ClipHybridOptions, SearchRequest> search;

    Calibrator(BoundedSearches searches, Function<ClipHybridOptions, SearchRequest> search) {
        this.searches = searches;
        this.search = search;
    }

    void run(CalibrateRequest request, ParameterGrid grid, ActionListener<Fit> listener) {
        HoldoutSplit split = request.split();
        List<Map<String, Object>> points = grid.points();
        int n = request.judgments().size();
        int k = request.metric().k();
        List<Set<String>> relevant = new ArrayList<>(n);
        List<ClipHybridOptions> queries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            relevant.add(request.judgments().get(i).relevantSet());
            queries.add(request.queryFor(i));
        }
        List<SearchRequest> defaults = new ArrayList<>(n);
        for (ClipHybridOptions q : queries) {
            defaults.add(search.apply(q));
        }
        // the default round encodes each text once; the grid's searches find the vectors in the node's query text cache
        searches.run(defaults, ActionListener.wrap(defaultRankings -> {
            List<SearchRequest> gridSearches = new ArrayList<>(points.size() * split.train().size());
            for (Map<String, Object> point : points) {
                for (int i : split.train()) {
                    gridSearches.add(search.apply(grid.apply(queries.get(i), point, Set.of())));
                }
            }
            searches.run(gridSearches, ActionListener.wrap(gridRankings -> {
                List<Set<String>> trainRelevant = pick(relevant, split.train());
                int best = -1;
                MetricValues bestTrain = null;
                int t = split.train().size();
                for (int p = 0; p < points.size(); p++) {
                    MetricValues values = MetricValues.of(k, gridRankings.subList(p * t, (p + 1) * t), trainRelevant);
                    if (bestTrain == null || values.get(request.metric().metric()) > bestTrain.get(request.metric().metric())) {
                        best = p;
                        bestTrain = values;
                    }
                }
                Map<String, Object> parameters = points.get(best);
                List<SearchRequest> heldOut = new ArrayList<>();
                for (int i : split.holdout()) {
                    heldOut.add(search.apply(grid.apply(queries.get(i), parameters, Set.of())));
                }
                MetricValues trainBest = bestTrain;
                searches.run(heldOut, ActionListener.wrap(holdoutRankings -> {
                    List<Set<String>> holdoutRelevant = pick(relevant, split.holdout());
                    CalibrateResponse.Part train = new CalibrateResponse.Part(
                        t,
                        MetricValues.of(k, pick(defaultRankings, split.train()), trainRelevant),
                        trainBest
                    );
                    CalibrateResponse.Part holdout = new CalibrateResponse.Part(
                        split.holdout().size(),
                        MetricValues.of(k, pick(defaultRankings, split.holdout()), holdoutRelevant),
                        MetricValues.of(k, holdoutRankings, holdoutRelevant)
                    );
                    listener.onResponse(new Fit(parameters, train, holdout, points.size()));
                }, listener::onFailure));
            }, listener::onFailure));
        }, listener::onFailure));
    }

    private static <T> List<T> pick(List<T> all, List<Integer> indices) {
        List<T> out = new ArrayList<>(indices.size());
        for (int i : indices) {
            out.add(all.get(i));
        }
        return out;
    }
}
