package org.opensearch.cliphybrid.query;

import org.opensearch.index.IndexSettings;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.deciders.ConcurrentSearchDecision;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;

import java.util.Optional;

/**
 * Votes for concurrent segment search when a request holds {@code clip_hybrid} or {@code clip_knn}, as the k-NN plugin does for
 * {@code knn}: in OpenSearch's default {@code auto} mode a request is searched in slices only when a decider asks for it. A
 * large shard has many segments (a million vectors came to 34), each with its own HNSW graph and postings, and clip_hybrid
 * walks them all for its nearest documents, its best BM25 and its hits, one after the other unless the shard is sliced.
 * Modes {@code all} and {@code none} ignore the vote. One instance per shard request: it holds that request's decision.
 */
public final class ConcurrentClipSearch extends ConcurrentSearchRequestDecider {
    public static final ConcurrentSearchRequestDecider.Factory FACTORY = new ConcurrentSearchRequestDecider.Factory() {
        @Override
        public Optional<ConcurrentSearchRequestDecider> create(IndexSettings indexSettings) {
            return Optional.of(new ConcurrentClipSearch());
        }
    };

    private static final ConcurrentSearchDecision NO_OPINION = new ConcurrentSearchDecision(
        ConcurrentSearchDecision.DecisionStatus.NO_OP,
        "no clip_hybrid or clip_knn query"
    );
    private static final ConcurrentSearchDecision YES = new ConcurrentSearchDecision(
        ConcurrentSearchDecision.DecisionStatus.YES,
        "clip_hybrid and clip_knn search every segment's graph and postings: slices search them in parallel"
    );

    private ConcurrentSearchDecision decision = NO_OPINION;

    private ConcurrentClipSearch() {}

    /** Called for every node of the request's query tree: one clip query anywhere in it is enough. */
    @Override
    public void evaluateForQuery(QueryBuilder query, IndexSettings indexSettings) {
        if (query instanceof ClipHybridQueryBuilder || query instanceof ClipKnnQueryBuilder) {
            decision = YES;
        }
    }

    @Override
    public ConcurrentSearchDecision getConcurrentSearchDecision() {
        return decision;
    }
}
