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
import org.opensearch.cliphybrid.query.fusion.Rrf;

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
    private static final String[] SIDES = { "vector", "text" };

    private final Rrf.Fused[] byDoc;
    private final int[] docs;
    private final int rankConstant;
    private final Object readerId;

    FusedDocsQuery(List<Rrf.Fused> fused, int rankConstant, Object readerId) {
        this.byDoc = fused.toArray(new Rrf.Fused[0]);
        Arrays.sort(byDoc, Comparator.comparingLong(Rrf.Fused::key));
        this.docs = new int[byDoc.length];
        for (int i = 0; i < byDoc.length; i++) {
            docs[i] = (int) byDoc[i].key();
        }
        this.rankConstant = rankConstant;
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
                int lo = lowerBound(context.docBase);
                int hi = lowerBound(context.docBase + context.reader().maxDoc());
                if (lo == hi) {
                    return null;
                }
                return new DefaultScorerSupplier(new FusedScorer(context.docBase, lo, hi, boost));
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) {
                int i = Arrays.binarySearch(docs, doc + context.docBase);
                if (i < 0) {
                    return Explanation.noMatch("not among the fused top documents");
                }
                Rrf.Fused f = byDoc[i];
                Explanation[] parts = new Explanation[SIDES.length];
                for (int s = 0; s < SIDES.length; s++) {
                    int rank = f.ranks()[s];
                    parts[s] = rank == 0
                        ? Explanation.noMatch(SIDES[s] + ": not in its top list, contributes 0")
                        : Explanation.match(
                            (float) (1.0 / (rankConstant + rank)),
                            SIDES[s] + ": rank " + rank + " (raw score " + f.rawScores()[s] + "), 1/(" + rankConstant + " + " + rank + ")"
                        );
                }
                return Explanation.match(
                    boost * (float) f.score(),
                    "clip_hybrid reciprocal rank fusion, sum of 1/(rank_constant + rank), rank_constant=" + rankConstant,
                    parts
                );
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    /** Walks this leaf's slice [lo, hi) of the sorted top-level doc ids. */
    private final class FusedScorer extends Scorer {
        private final int docBase, lo, hi;
        private final float boost;
        private int i;
        private final DocIdSetIterator iterator = new DocIdSetIterator() {
            @Override
            public int docID() {
                return current();
            }

            @Override
            public int nextDoc() {
                i++;
                return current();
            }

            @Override
            public int advance(int target) {
                int at = Arrays.binarySearch(docs, Math.max(lo, i + 1), hi, target + docBase);
                i = at >= 0 ? at : -at - 1;
                return current();
            }

            @Override
            public long cost() {
                return hi - lo;
            }
        };

        FusedScorer(int docBase, int lo, int hi, float boost) {
            this.docBase = docBase;
            this.lo = lo;
            this.hi = hi;
            this.boost = boost;
            this.i = lo - 1;
        }

        private int current() {
            if (i < lo) {
                return -1;
            }
            return i >= hi ? DocIdSetIterator.NO_MORE_DOCS : docs[i] - docBase;
        }

        @Override
        public int docID() {
            return current();
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
            return boost * (float) byDoc[i].score();
        }
    }

    private int lowerBound(int docId) {
        int i = Arrays.binarySearch(docs, docId);
        return i >= 0 ? i : -i - 1;
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
