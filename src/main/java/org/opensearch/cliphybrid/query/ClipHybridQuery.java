package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.opensearch.cliphybrid.query.fusion.Rrf;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The shard-level form of {@code clip_hybrid} in rank mode: on rewrite it runs the kNN query and the lexical query against this
 * shard's reader, fuses the two ranked lists with reciprocal rank fusion, and becomes a query that matches exactly the fused
 * documents with their fused scores. (Fusing per shard is exact for a one-shard index; fusing global lists across shards is
 * the next step.)
 */
final class ClipHybridQuery extends Query {
    private final String vectorField;
    private final int dimension;
    private final Query knn;
    private final Query lexical;
    private final int k;
    private final int rankConstant;

    ClipHybridQuery(String vectorField, int dimension, Query knn, Query lexical, int k, int rankConstant) {
        this.vectorField = vectorField;
        this.dimension = dimension;
        this.knn = knn;
        this.lexical = lexical;
        this.k = k;
        this.rankConstant = rankConstant;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        checkDimension(searcher);
        Rrf.Ranked vector = ranked(searcher.search(knn, k), searcher);
        Rrf.Ranked text = lexical == null ? Rrf.Ranked.empty() : ranked(searcher.search(lexical, k), searcher);
        List<Rrf.Fused> fused = Rrf.fuse(rankConstant, vector, text);
        return new FusedDocsQuery(fused, rankConstant, searcher.getIndexReader().getContext().id());
    }

    private void checkDimension(IndexSearcher searcher) {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(vectorField);
            if (info != null && info.getVectorDimension() > 0 && info.getVectorDimension() != dimension) {
                throw new IllegalArgumentException(
                    "[clip_hybrid] the query vector has "
                        + dimension
                        + " dimensions but field ["
                        + vectorField
                        + "] holds vectors of "
                        + info.getVectorDimension()
                        + ": use the model that embedded the images"
                );
            }
        }
    }

    private static Rrf.Ranked ranked(TopDocs top, IndexSearcher searcher) {
        ScoreDoc[] docs = top.scoreDocs;
        long[] keys = new long[docs.length];
        float[] scores = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            keys[i] = docs[i].doc;
            scores[i] = docs[i].score;
        }
        return new Rrf.Ranked(keys, scores);
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
        return "clip_hybrid(rrf k=" + k + " rank_constant=" + rankConstant + ", vector: " + knn.toString(field) + ", text: "
            + (lexical == null ? "none" : lexical.toString(field)) + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (sameClassAs(o) == false) {
            return false;
        }
        ClipHybridQuery other = (ClipHybridQuery) o;
        return vectorField.equals(other.vectorField)
            && dimension == other.dimension
            && knn.equals(other.knn)
            && Objects.equals(lexical, other.lexical)
            && k == other.k
            && rankConstant == other.rankConstant;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), vectorField, dimension, knn, lexical, k, rankConstant);
    }
}
