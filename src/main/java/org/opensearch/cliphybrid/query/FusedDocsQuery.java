package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.opensearch.cliphybrid.query.fusion.Fused;
import org.opensearch.cliphybrid.query.fusion.RankFusion;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Matches a fixed set of top-level documents of one reader with precomputed fused scores, and explains each score from the
 * ranks that made it. Tied to the reader it was computed on, like Lucene's own kNN result query.
 */
final class FusedDocsQuery extends Query {
    private final Fused[] byDoc;
    private final int[] docs;
    private final RankFusion fusion;
    private final Object readerId;

    FusedDocsQuery(List<Fused> fused, RankFusion fusion, Object readerId) {
        this.byDoc = fused.toArray(new Fused[0]);
        Arrays.sort(byDoc, Comparator.comparingLong(Fused::key));
        this.docs = new int[byDoc.length];
        for (int i = 0; i < byDoc.length; i++) {
            docs[i] = (int) byDoc[i].key();
        }
        this.fusion = fusion;
        this.readerId = readerId;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        if (searcher.getIndexReader().getContext().id() != readerId) {
            throw new IllegalStateException("clip_hybrid: fused documents were computed on another reader");
        }
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) {
                SortedDocsIterator docsOfLeaf = new SortedDocsIterator(docs, context.docBase, context.reader().maxDoc());
                return docsOfLeaf.isEmpty() ? null : new DefaultScorerSupplier(new FusedScorer(docsOfLeaf, boost));
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) {
                int i = Arrays.binarySearch(docs, doc + context.docBase);
                if (i < 0) {
                    return Explanation.noMatch("not among the fused top documents");
                }
                Fused f = byDoc[i];
                Explanation[] parts = new Explanation[f.ranks().length];
                for (int side = 0; side < parts.length; side++) {
                    String description = fusion.describeSide(f, side);
                    parts[side] = f.ranks()[side] == 0
                        ? Explanation.noMatch(description)
                        : Explanation.match(f.sideScores()[side], description);
                }
                return Explanation.match(boost * (float) f.score(), fusion.describe(), parts);
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    /** Walks this leaf's slice of the sorted top-level doc ids. */
    private final class FusedScorer extends Scorer {
        private final SortedDocsIterator iterator;
        private final float boost;

        FusedScorer(SortedDocsIterator iterator, float boost) {
            this.iterator = iterator;
            this.boost = boost;
        }

        @Override
        public int docID() {
            return iterator.docID();
        }

        @Override
        public DocIdSetIterator iterator() {
            return iterator;
        }

        @Override
        public float getMaxScore(int upTo) {
            return Float.POSITIVE_INFINITY;
        }

        @Override
        public float score() {
            return boost * (float) byDoc[iterator.index()].score();
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "clip_hybrid_fused(" + docs.length + " docs)";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && readerId == ((FusedDocsQuery) o).readerId && Arrays.equals(docs, ((FusedDocsQuery) o).docs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), readerId, Arrays.hashCode(docs));
    }
}
