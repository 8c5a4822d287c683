package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.VectorUtil;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Weights;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Composable mode of {@code clip_hybrid}, scored per document on the shard: the documents are this shard's {@code k} nearest
 * vectors and every lexical match; each one's score is the weighted mean of its calibrated cosine (computed from its own stored
 * vector, whether or not it was among the nearest) and its saturated BM25 (0 when the words do not match it). A score thus
 * depends on the document and the query only, so the query composes like any other: in bool, with sort, collapse, rescore,
 * aggregations, scroll, search_after and profile.
 */
final class CalibratedHybridQuery extends Query {
    private final Query knn;
    private final Query lexical;
    private final int k;
    private final Scoring scoring;

    /** What turns a document's vector and BM25 into its score. */
    record Scoring(String vectorField, float[] vector, Calibration calibration, Weights weights, float minScore, String note) {
        float combine(float calibratedVector, float calibratedText) {
            return (weights.vector() * calibratedVector + weights.text() * calibratedText) / weights.sum();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scoring s
                && vectorField.equals(s.vectorField)
                && Arrays.equals(vector, s.vector)
                && calibration.equals(s.calibration)
                && weights.equals(s.weights)
                && minScore == s.minScore
                && note.equals(s.note);
        }

        @Override
        public int hashCode() {
            return Objects.hash(vectorField, Arrays.hashCode(vector), calibration, weights, minScore, note);
        }
    }

    CalibratedHybridQuery(Query knn, Query lexical, int k, Scoring scoring) {
        this.knn = knn;
        this.lexical = lexical;
        this.k = k;
        this.scoring = scoring;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        ScoreDoc[] found = searcher.search(knn, k).scoreDocs;
        int[] docs = new int[found.length];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = found[i].doc;
        }
        Arrays.sort(docs);
        // A document outside the k nearest has a cosine no higher than the farthest of them (as far as HNSW finds them),
        // which bounds its vector part: when the collector only wants competitive hits, a text match whose bound cannot
        // compete is skipped before its vector is read. Fewer than k nearest: every vector was found.
        float outsideBound = 0f;
        if (docs.length == k) {
            float farthest = Float.POSITIVE_INFINITY;
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            for (int doc : docs) {
                LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                float cosine = ForReader.cosine(scoring, leaf.reader().getFloatVectorValues(scoring.vectorField()), doc - leaf.docBase);
                if (Float.isNaN(cosine) == false) {
                    farthest = Math.min(farthest, cosine);
                }
            }
            outsideBound = farthest == Float.POSITIVE_INFINITY ? 0f : scoring.calibration().vector(farthest);
        }
        Query words = lexical == null ? null : searcher.rewrite(lexical);
        return new ForReader(docs, outsideBound, words, scoring, searcher.getIndexReader().getContext().id());
    }

    @Override
    public void visit(QueryVisitor visitor) {
        QueryVisitor sub = visitor.getSubVisitor(BooleanClause.Occur.SHOULD, this);
        knn.visit(sub);
        if (lexical != null) {
            lexical.visit(sub);
        }
    }

    @Override
    public String toString(String field) {
        return "clip_hybrid(calibrated k=" + k + ", vector: " + knn.toString(field) + ", text: "
            + (lexical == null ? "none" : lexical.toString(field)) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o)
            && knn.equals(((CalibratedHybridQuery) o).knn)
            && Objects.equals(lexical, ((CalibratedHybridQuery) o).lexical)
            && k == ((CalibratedHybridQuery) o).k
            && scoring.equals(((CalibratedHybridQuery) o).scoring);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), knn, lexical, k, scoring);
    }

    /** The query for one reader, once that reader's nearest documents are known. */
    static final class ForReader extends Query {
        private final int[] nearest;
        /** The most the vector part can add for a document outside {@code nearest}. */
        private final float outsideBound;
        private final Query lexical;
        private final Scoring scoring;
        private final Object readerId;

        ForReader(int[] nearest, float outsideBound, Query lexical, Scoring scoring, Object readerId) {
            this.nearest = nearest;
            this.outsideBound = outsideBound;
            this.lexical = lexical;
            this.scoring = scoring;
            this.readerId = readerId;
        }

        @Override
        public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
            if (searcher.getIndexReader().getContext().id() != readerId) {
                throw new IllegalStateException("clip_hybrid: nearest documents were computed on another reader");
            }
            // with a collector that only wants competitive hits, the words' own scorers may skip blocks that cannot compete
            ScoreMode textMode = scoreMode == ScoreMode.TOP_SCORES ? ScoreMode.TOP_SCORES : ScoreMode.COMPLETE;
            Weight lexicalWeight = lexical == null ? null : searcher.createWeight(lexical, textMode, 1f);
            return new Weight(this) {
                @Override
                public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                    SortedDocsIterator near = new SortedDocsIterator(nearest, context.docBase, context.reader().maxDoc());
                    ScorerSupplier words = lexicalWeight == null ? null : lexicalWeight.scorerSupplier(context);
                    if (near.isEmpty() && words == null) {
                        return null;
                    }
                    if (words != null) {
                        // the words decide which text matches to visit, so they may be told what cannot compete
                        words.setTopLevelScoringClause();
                    }
                    CalibratedLeaf leaf = new CalibratedLeaf(
                        scoring,
                        outsideBound,
                        boost,
                        near,
                        words,
                        () -> lexicalWeight.scorer(context),
                        context.reader().getFloatVectorValues(scoring.vectorField())
                    );
                    return new ScorerSupplier() {
                        @Override
                        public Scorer get(long leadCost) throws IOException {
                            return leaf.scorer();
                        }

                        @Override
                        public BulkScorer bulkScorer() throws IOException {
                            return leaf.bulkScorer();
                        }

                        @Override
                        public long cost() {
                            return leaf.cost();
                        }
                    };
                }

                @Override
                public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                    return explainDoc(lexicalWeight, context, doc, boost);
                }

                @Override
                public boolean isCacheable(LeafReaderContext ctx) {
                    return false;
                }
            };
        }

        private Explanation explainDoc(Weight lexicalWeight, LeafReaderContext context, int doc, float boost) throws IOException {
            boolean isNear = Arrays.binarySearch(nearest, context.docBase + doc) >= 0;
            Explanation text = lexicalWeight == null ? Explanation.noMatch("no text fields") : lexicalWeight.explain(context, doc);
            if (isNear == false && text.isMatch() == false) {
                return Explanation.noMatch("clip_hybrid: neither among the k nearest vectors nor a text match");
            }
            float cosine = cosine(scoring, context.reader().getFloatVectorValues(scoring.vectorField()), doc);
            Calibration c = scoring.calibration();
            float calibratedVector = Float.isNaN(cosine) ? 0f : c.vector(cosine);
            float bm25 = text.isMatch() ? text.getValue().floatValue() : 0f;
            float calibratedText = c.text(bm25);
            float score = scoring.combine(calibratedVector, calibratedText);
            String rule = isNear
                ? (text.isMatch() ? "found by both sides" : "found by the vector side only; text contributes 0")
                : "found by the text side only; vector score is the exact cosine of its stored vector";
            Explanation vectorPart = Float.isNaN(cosine)
                ? Explanation.match(0f, "vector: the document has no vector in [" + scoring.vectorField() + "], contributes 0")
                : Explanation.match(
                    calibratedVector,
                    "vector: cosine " + cosine + " calibrated clamp((cosine - " + c.cosineLow() + ") / (" + c.cosineHigh() + " - "
                        + c.cosineLow() + "), 0, 1), weight " + scoring.weights().vector()
                        + (isNear ? ", among the k nearest" : "")
                );
            Explanation textPart = text.isMatch()
                ? Explanation.match(
                    calibratedText,
                    "text: bm25 " + bm25 + " saturated bm25 / (bm25 + " + c.textSaturation() + "), weight " + scoring.weights().text(),
                    text
                )
                : Explanation.match(0f, "text: no match, contributes 0");
            String description = "clip_hybrid calibrated: weighted mean of calibrated vector and text scores; " + rule + scoring.note();
            if (score < scoring.minScore()) {
                return Explanation.noMatch(description + "; below min_score " + scoring.minScore(), vectorPart, textPart);
            }
            return Explanation.match(boost * score, description, vectorPart, textPart);
        }

        /** The document's cosine with the query vector, or NaN when it has no vector. */
        static float cosine(Scoring scoring, FloatVectorValues vectors, int doc) throws IOException {
            if (vectors == null) {
                return Float.NaN;
            }
            KnnVectorValues.DocIndexIterator it = vectors.iterator();
            return it.advance(doc) == doc ? cosine(scoring, vectors.vectorValue(it.index())) : Float.NaN;
        }

        /** Every text match outside the nearest goes through here, so it runs on Lucene's SIMD kernel; a zero vector scores 0. */
        static float cosine(Scoring scoring, float[] v) {
            float cosine = VectorUtil.cosine(scoring.vector(), v);
            return Float.isNaN(cosine) ? 0f : cosine;
        }

        @Override
        public void visit(QueryVisitor visitor) {
            visitor.visitLeaf(this);
        }

        @Override
        public String toString(String field) {
            return "clip_hybrid_calibrated(" + nearest.length + " nearest, text: " + (lexical == null ? "none" : lexical.toString(field))
                + ")";
        }

        @Override
        public boolean equals(Object o) {
            return sameClassAs(o)
                && readerId == ((ForReader) o).readerId
                && Arrays.equals(nearest, ((ForReader) o).nearest)
                && outsideBound == ((ForReader) o).outsideBound
                && Objects.equals(lexical, ((ForReader) o).lexical)
                && scoring.equals(((ForReader) o).scoring);
        }

        @Override
        public int hashCode() {
            return Objects.hash(classHash(), readerId, Arrays.hashCode(nearest), lexical, scoring);
        }
    }
}
