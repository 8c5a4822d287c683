package org.opensearch.cliphybrid.stats;

import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.threadpool.ThreadPoolStats;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** This node's {@link NodeClipStats}: the counters, plus the plugin's inference, query and fetch pools and the models loaded so far. */
public final class NodeStatsReporter {
    /** The names of the thread pools reported as {@code queue.inference}, {@code queue.query} and {@code queue.fetch}. */
    public record Pools(String inference, String query, String fetch) {}

    private final ClipStats stats;
    private final ThreadPool threadPool;
    private final ModelRegistry models;
    private final Pools names;

    public NodeStatsReporter(ClipStats stats, ThreadPool threadPool, ModelRegistry models, Pools names) {
        this.stats = stats;
        this.threadPool = threadPool;
        this.models = models;
        this.names = names;
    }

    public NodeClipStats report() {
        Map<String, ThreadPoolStats.Stats> pools = new HashMap<>();
        for (ThreadPoolStats.Stats pool : threadPool.stats()) {
            pools.put(pool.getName(), pool);
        }
        Map<String, QueueStats> queues = new LinkedHashMap<>();
        queues.put("inference", queue(pools.get(names.inference())));
        queues.put("query", queue(pools.get(names.query())));
        queues.put("fetch", queue(pools.get(names.fetch())));
        Map<String, Long> loadMillis = new TreeMap<>();
        for (Map.Entry<String, ClipModel> model : models.loaded().entrySet()) {
            loadMillis.put(model.getKey(), model.getValue().loadMillis());
        }
        return stats.snapshot(queues, loadMillis);
    }

    private static QueueStats queue(ThreadPoolStats.Stats pool) {
        return pool == null ? new QueueStats(0, 0, 0) : new QueueStats(pool.getActive(), pool.getQueue(), pool.getRejected());
    }
}
