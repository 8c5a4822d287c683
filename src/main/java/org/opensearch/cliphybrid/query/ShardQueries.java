package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.opensearch.cliphybrid.query.fusion.Fused;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryShardContext;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@code clip_hybrid} becomes on a shard, from its options and what the coordinator's rewrite learned. */
final class ShardQueries {
    private ShardQueries() {}

    /** The query for one shard, before any folding: what the coordinator's rewrite learned decides which. */
    static Query unfolded(ClipHybridQueryBuilder q, QueryShardContext context) throws IOException {
        ClipHybridOptions options = q.options();
        List<CrossShardRankFusion.Hit> fusedHits = q.fusedHits();
        float[] queryVector = options.queryVector();
        String vectorField = options.vectorField();
        if (queryVector == null) {
            throw new IllegalStateException("[" + ClipHybridOptions.NAME + "] query inputs were not encoded before the shard search");
        }
        ClipKnnQueryBuilder.checkVectorField(context, vectorField);
        ClipKnnQueryBuilder.checkDimension(context, vectorField, queryVector.length);
        if (options.fusion() != ClipHybridOptions.Fusion.CALIBRATED && fusedHits != null) {
            String index = context.index().getName();
            Map<String, Fused> mine = new HashMap<>();
            for (CrossShardRankFusion.Hit hit : fusedHits) {
                if (hit.index().equals(index)) {
                    mine.put(hit.id(), hit.fused());
                }
            }
            return new GlobalFusedQuery(mine, q.rankFusion());
        }
        ProperNounRule rule = q.properNounRule();
        QueryBuilder knnFilter = rule.filter();
        Query knn = new GuardedKnnQuery(vectorField, queryVector, options.knnBeam(), knnFilter == null ? null : knnFilter.toQuery(context));
        QueryBuilder lexicalBuilder = LexicalQuery.of(options.weightedTexts(), options.textFields(), knnFilter);
        Query lexical = lexicalBuilder == null ? null : lexicalBuilder.toQuery(context);
        if (options.fusion() == ClipHybridOptions.Fusion.CALIBRATED) {
            return calibrated(q, context, knn, lexical, knnFilter, rule);
        }
        return new ClipHybridQuery(knn, lexical, options.k(), options.effectiveWindowSize(), q.rankFusion(), options.minScore());
    }

    /**
     * Composable mode: the k nearest, the k nearest without text, and the words, scored per document from the evidence it has,
     * with the model's band (as the coordinator looked it up) and the best BM25 (the coordinator's under DFS).
     */
    private static Query calibrated(
        ClipHybridQueryBuilder q,
        QueryShardContext context,
        Query knn,
        Query lexical,
        QueryBuilder knnFilter,
        ProperNounRule rule
    ) throws IOException {
        ClipHybridOptions options = q.options();
        TextLookUp lookUp = q.lookUp();
        String vectorField = options.vectorField();
        float[] queryVector = options.queryVector();
        List<String> mapped = lexical == null ? List.of() : LexicalQuery.mappedFields(context, options.textFields());
        Query hasText = LexicalQuery.hasText(context, mapped);
        Query knnWithoutText = null;
        if (hasText != null) {
            BooleanQuery.Builder withoutText = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                .add(hasText, BooleanClause.Occur.MUST_NOT);
            if (knnFilter != null) {
                withoutText.add(knnFilter.toQuery(context), BooleanClause.Occur.FILTER);
            }
            knnWithoutText = new GuardedKnnQuery(vectorField, queryVector, options.knnBeam(), withoutText.build());
        }
        return new CalibratedHybridQuery(
            knn,
            knnWithoutText,
            lexical,
            hasText,
            mapped,
            options.k(),
            new CalibratedHybridQuery.Scoring(
                vectorField,
                queryVector,
                options.calibration(q.encoder().calibration(options.model(), lookUp == null ? null : lookUp.cosineBand())),
                rule.weights(),
                lookUp == null ? Float.NaN : lookUp.bestBm25(),
                options.minScore(),
                rule.note()
            )
        );
    }
}
