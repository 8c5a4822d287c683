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
    /** Candidates per k for 1-bit graphs: the smallest factor that held recall@10 at 0.95 up to 200k vectors. */
    static final int ONE_BIT_OVERSAMPLE = 10;

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
        MappedVectorField mapped = ClipKnnQueryBuilder.checkDimension(context, vectorField, queryVector.length);
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
        int candidates = options.fusion() == ClipHybridOptions.Fusion.CALIBRATED
            ? candidates(options, mapped.bits())
            : options.knnBeam();
        Query knn = new GuardedKnnQuery(vectorField, queryVector, Math.max(candidates, options.knnBeam()), knnFilter == null ? null : knnFilter.toQuery(context));
        QueryBuilder lexicalBuilder = LexicalQuery.of(options.weightedTexts(), options.textFields(), knnFilter);
        Query lexical = lexicalBuilder == null ? null : lexicalBuilder.toQuery(context);
        if (options.fusion() == ClipHybridOptions.Fusion.CALIBRATED) {
            return calibrated(q, context, knn, candidates, lexical, knnFilter, rule);
        }
        return new ClipHybridQuery(knn, lexical, options.k(), options.effectiveWindowSize(), q.rankFusion(), options.minScore());
    }

    /**
     * How many nearest the composable mode asks the graph for before it keeps the k best by exact cosine. A float graph's
     * order is the cosine's, so k. A quantized graph's is approximate: a 7-bit one keeps the cosine order nearly (recall@10
     * 0.99 at k 100 on 512-d vectors, docs/benchmarks.md), a 1-bit one does not (0.56), and needs
     * {@value #ONE_BIT_OVERSAMPLE} times k (0.95 to 0.97 on 100k to 200k vectors). {@code ef_search} widens it further; the
     * kNN search and the re-ranking hold every candidate, so they are at most {@code k}'s own limit.
     */
    static int candidates(ClipHybridOptions options, int bits) {
        if (bits >= MappedVectorField.FLOAT_BITS) {
            return options.k();
        }
        int factor = bits <= 1 ? ONE_BIT_OVERSAMPLE : 1;
        return Math.max(options.knnBeam(), (int) Math.min(ClipHybridOptions.MAX_K, (long) options.k() * factor));
    }

    /**
     * Composable mode: the k nearest, the k nearest without text, and the words, scored per document from the evidence it has,
     * with the model's band (as the coordinator looked it up) and the best BM25 (the coordinator's under DFS).
     */
    private static Query calibrated(
        ClipHybridQueryBuilder q,
        QueryShardContext context,
        Query knn,
        int candidates,
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
            knnWithoutText = new GuardedKnnQuery(vectorField, queryVector, Math.max(candidates, options.knnBeam()), withoutText.build());
        }
        return new CalibratedHybridQuery(
            knn,
            knnWithoutText,
            lexical,
            hasText,
            mapped,
            options.k(),
            candidates,
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
