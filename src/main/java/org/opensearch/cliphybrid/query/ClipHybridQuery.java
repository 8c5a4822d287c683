package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.opensearch.cliphybrid.query.fusion.Fused;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.cliphybrid.query.fusion.Ranked;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The shard-level form of {@code clip_hybrid} in rank mode: on rewrite it runs the kNN query and the lexical query against this
 * shard's reader, fuses the two ranked lists with the request's rank fusion (rrf or linear), and becomes a query that matches exactly the fused
 * documents with their fused scores. Used where no coordinating node fuses global candidates (shard-level APIs such as _explain); exact on a one-shard index.
 */
final class ClipHybridQuery extends Query {
    private final Query knn;
    private final Query lexical;
    private final int k;
    private final int windowSize;
    private final RankFusion fusion;
    private final float minScore;

    ClipHybridQuery(Query knn, Query lexical, int k, int windowSize, RankFusion fusion, float minScore) {
        this.knn = knn;
        this.lexical = lexical;
        this.k = k;
        this.windowSize = windowSize;
        this.fusion = fusion;
        this.minScore = minScore;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Ranked vector = ranked(searcher.search(knn, k));
        Ranked text = lexical == null ? Ranked.empty() : ranked(searcher.search(lexical, windowSize));
        List<Fused> fused = fusion.fuse(vector, text).stream().filter(f -> f.score() >= minScore).toList();
        return new FusedDocsQuery(fused, fusion, searcher.getIndexReader().getContext().id());
    }

    private static Ranked ranked(TopDocs top) {
        ScoreDoc[] docs = top.scoreDocs;
        long[] keys = new long[docs.length];
        float[] scores = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            keys[i] = docs[i].doc;
            scores[i] = docs[i].score;
        }
        return new Ranked(keys, scores);
    }

    @Override
    public void visit(QueryVisitor visitor) {
        QueryVisitor sub = visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.SHOULD, this);
        knn.visit(sub);
        if (lexical != null) {
            lexical.visit(sub);
        }
    }

    @Override
    public String toString(String field) {
        return "clip_hybrid(" + fusion + " k=" + k + " window_size=" + windowSize + ", vector: " + knn.toString(field) + ", text: "
            + (lexical == null ? "none" : lexical.toString(field)) + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (sameClassAs(o) == false) {
            return false;
        }
        ClipHybridQuery other = (ClipHybridQuery) o;
        return knn.equals(other.knn)
            && Objects.equals(lexical, other.lexical)
            && k == other.k
            && windowSize == other.windowSize
            && fusion.equals(other.fusion)
            && minScore == other.minScore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), knn, lexical, k, windowSize, fusion, minScore);
    }
}
