package org.opensearch.cliphybrid.calibrate;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.search.SearchHit;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs many searches with at most {@link #IN_FLIGHT} at a time and answers with each one's hit ids, in request order. Nothing
 * waits on a thread: each answer starts the next search, handed to an executor so that a search failing at once cannot
 * grow the stack. The first failure, a cancelled task or the deadline ends the run.
 */
final class BoundedSearches {
    static final int IN_FLIGHT = 4;

    /** What ends a run early; {@code done} counts the searches answered by then. */
    interface Deadline {
        Exception check(int done, int total);
    }

    private final Client client;
    private final Executor executor;
    private final CancellableTask task;
    private final Deadline deadline;

    BoundedSearches(Client client, Executor executor, CancellableTask task, Deadline deadline) {
        this.client = client;
        this.executor = executor;
        this.task = task;
        this.deadline = deadline;
    }

    void run(List<SearchRequest> requests, ActionListener<List<List<String>>> listener) {
        int total = requests.size();
        @SuppressWarnings("unchecked")
        List<String>[] results = new List[total];
        if (total == 0) {
            listener.onResponse(List.of());
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean finished = new AtomicBoolean();
        Runnable[] launch = new Runnable[1];
        ActionListener<Void> end = ActionListener.wrap(v -> {
            if (finished.compareAndSet(false, true)) {
                listener.onResponse(new ArrayList<>(Arrays.asList(results)));
            }
        }, e -> {
            if (finished.compareAndSet(false, true)) {
                listener.onFailure(e);
            }
        });
        launch[0] = () -> {
            if (finished.get()) {
                return;
            }
            if (task != null && task.isCancelled()) {
                end.onFailure(new TaskCancelledException("calibration cancelled: " + task.getReasonCancelled()));
                return;
            }
            Exception late = deadline.check(answered.get(), total);
            if (late != null) {
                end.onFailure(late);
                return;
            }
            int i = next.getAndIncrement();
            if (i >= total) {
                return;
            }
            client.search(requests.get(i), ActionListener.wrap((SearchResponse response) -> {
                if (response.getShardFailures().length > 0) {
                    end.onFailure(
                        new OpenSearchStatusException(
                            "a calibration search failed on " + response.getShardFailures().length + " shards: "
                                + response.getShardFailures()[0].reason(),
                            response.getShardFailures()[0].status()
                        )
                    );
                    return;
                }
                List<String> ids = new ArrayList<>(response.getHits().getHits().length);
                for (SearchHit hit : response.getHits().getHits()) {
                    ids.add(hit.getId());
                }
                results[i] = ids;
                if (answered.incrementAndGet() == total) {
                    end.onResponse(null);
                } else {
                    executor.execute(launch[0]);
                }
            }, end::onFailure));
        };
        for (int i = 0; i < Math.min(IN_FLIGHT, total); i++) {
            executor.execute(launch[0]);
        }
    }

    static OpenSearchStatusException tooLong(String setting, Object limit, int done, int total) {
        return new OpenSearchStatusException(
            "calibration ran past [" + setting + "] of " + limit + " after " + done + " of " + total
                + " searches: give fewer judgments, or raise the setting",
            RestStatus.BAD_REQUEST
        );
    }
}
