package org.opensearch.cliphybrid.query;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchType;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cliphybrid.query.fusion.Fused;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.cliphybrid.query.fusion.Ranked;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rank mode across shards: the best {@code k} vector hits and the best {@code window_size} lexical hits of the whole target, each
 * collected by an ordinary search (shards' top lists merged by score; the lexical one with DFS so that BM25 uses index-wide
 * statistics), fused once on the coordinator. The result does not depend on how the index is split into shards.
 */
final class CrossShardRankFusion {
    private CrossShardRankFusion() {}

    /** A fused document of the whole target, addressed by index and id. */
    record Hit(String index, String id, Fused fused) {}

    /** The fused hits as the coordinator ships them to the shards; null: not fused (yet). */
    static List<Hit> readHits(StreamInput in) throws IOException {
        if (in.readBoolean() == false) {
            return null;
        }
        int n = in.readVInt();
        List<Hit> hits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String index = in.readString();
            String id = in.readString();
            Fused f = new Fused(i, in.readDouble(), in.readVIntArray(), in.readFloatArray(), in.readFloatArray());
            hits.add(new Hit(index, id, f));
        }
        return hits;
    }

    static void writeHits(StreamOutput out, List<Hit> hits) throws IOException {
        out.writeBoolean(hits != null);
        if (hits != null) {
            out.writeVInt(hits.size());
            for (Hit hit : hits) {
                out.writeString(hit.index());
                out.writeString(hit.id());
                out.writeDouble(hit.fused().score());
                out.writeVIntArray(hit.fused().ranks());
                out.writeFloatArray(hit.fused().rawScores());
                out.writeFloatArray(hit.fused().sideScores());
            }
        }
    }

    /** Hits compared by value: {@link Fused} holds arrays. */
    static boolean sameHits(List<Hit> a, List<Hit> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Hit x = a.get(i), y = b.get(i);
            if (x.index().equals(y.index()) == false
                || x.id().equals(y.id()) == false
                || x.fused().score() != y.fused().score()
                || Arrays.equals(x.fused().ranks(), y.fused().ranks()) == false
                || Arrays.equals(x.fused().rawScores(), y.fused().rawScores()) == false
                || Arrays.equals(x.fused().sideScores(), y.fused().sideScores()) == false) {
                return false;
            }
        }
        return true;
    }

    static void fetch(
        Client client,
        String[] indices,
        IndicesOptions indicesOptions,
        QueryBuilder vectorQuery,
        QueryBuilder lexicalQuery,
        int k,
        int windowSize,
        RankFusion fusion,
        ActionListener<List<Hit>> listener
    ) {
        List<QueryBuilder> sides = lexicalQuery == null ? List.of(vectorQuery) : List.of(vectorQuery, lexicalQuery);
        SearchHit[][] results = new SearchHit[sides.size()][];
        AtomicInteger pending = new AtomicInteger(sides.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int side = 0; side < sides.size(); side++) {
            int s = side;
            SearchRequest request = new SearchRequest(indices).indicesOptions(indicesOptions)
                .source(new SearchSourceBuilder().query(sides.get(side)).size(side == 0 ? k : windowSize).fetchSource(false).trackTotalHits(false));
            if (side == 1) {
                request.searchType(SearchType.DFS_QUERY_THEN_FETCH);
            }
            client.search(request, ActionListener.wrap(response -> {
                Exception shardFailure = firstShardFailure(response);
                if (shardFailure != null) {
                    failure.compareAndSet(null, shardFailure);
                } else {
                    results[s] = response.getHits().getHits();
                }
                done(pending, failure, results, fusion, listener);
            }, e -> {
                failure.compareAndSet(null, e);
                done(pending, failure, results, fusion, listener);
            }));
        }
    }

    /** A partial candidate list would silently change every fused score, so any failed shard fails the query. */
    private static Exception firstShardFailure(SearchResponse response) {
        ShardSearchFailure[] failures = response.getShardFailures();
        if (failures.length == 0) {
            return null;
        }
        Throwable cause = failures[0].getCause();
        return cause instanceof Exception e ? e : new IllegalStateException(failures[0].reason());
    }

    private static void done(
        AtomicInteger pending,
        AtomicReference<Exception> failure,
        SearchHit[][] results,
        RankFusion fusion,
        ActionListener<List<Hit>> listener
    ) {
        if (pending.decrementAndGet() > 0) {
            return;
        }
        if (failure.get() != null) {
            listener.onFailure(failure.get());
            return;
        }
        listener.onResponse(fuse(results, fusion));
    }

    static List<Hit> fuse(SearchHit[][] results, RankFusion fusion) {
        Map<String, Long> keys = new HashMap<>();
        List<String[]> addresses = new ArrayList<>();
        Ranked[] ranked = new Ranked[2];
        for (int side = 0; side < ranked.length; side++) {
            SearchHit[] hits = side < results.length ? results[side] : new SearchHit[0];
            long[] ids = new long[hits.length];
            float[] scores = new float[hits.length];
            for (int i = 0; i < hits.length; i++) {
                String index = hits[i].getIndex();
                String id = hits[i].getId();
                ids[i] = keys.computeIfAbsent(index + '\u0000' + id, key -> {
                    addresses.add(new String[] { index, id });
                    return (long) addresses.size() - 1;
                });
                scores[i] = hits[i].getScore();
            }
            ranked[side] = new Ranked(ids, scores);
        }
        List<Hit> out = new ArrayList<>();
        float previous = Float.POSITIVE_INFINITY;
        for (Fused f : fusion.fuse(ranked)) {
            // Rank fusion ties often (rank 5 on one side only, on either side); a search orders equal scores by shard and doc id, which
            // would make the order depend on the shard layout. One float ulp below its predecessor keeps the fused order instead.
            float score = Math.min((float) f.score(), Math.nextDown(previous));
            previous = score;
            String[] address = addresses.get((int) f.key());
            out.add(new Hit(address[0], address[1], f.withKeyAndScore(f.key(), score)));
        }
        return out;
    }

    static BoolQueryBuilder filtered(QueryBuilder query, QueryBuilder filter) {
        BoolQueryBuilder bool = new BoolQueryBuilder().must(query);
        return filter == null ? bool : bool.filter(filter);
    }
}
