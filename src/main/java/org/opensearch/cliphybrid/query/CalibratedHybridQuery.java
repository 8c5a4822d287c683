package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Terms;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BulkScorer;
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
 * vectors, its {@code k} nearest among the documents without text, and every lexical match; each one's score adds up the
 * evidence it has (see {@link Calibration}): its cosine's (from its own stored vector, whether or not it was among the nearest)
 * and, when it has text in the text fields, its BM25's against the best BM25 of the target. A score thus depends on the document and the query only, so the query composes like any other:
 * in bool, with sort, collapse, rescore, aggregations, scroll, search_after and profile.
 */
final class CalibratedHybridQuery extends Query {
    private final Query knn;
    /** The nearest among the documents without text: they have nothing to lose on the text side, so more of them compete. */
    private final Query knnWithoutText;
    private final Query lexical;
    /** Documents with any text in the text fields; null when there are no text fields. */
    private final Query hasText;
    /** The mapped fields {@code hasText} looks at. */
    private final List<String> textFields;
    private final int k;
    /** How many the kNN search finds before the k nearest are kept, by exact cosine: more than k for quantized graphs. */
    private final int candidates;
    private final Scoring scoring;

    /**
     * What turns a document's vector and BM25 into its score.
     *
     * @param bestBm25 the best BM25 of the target for the query's words, as the coordinator looked it up for a DFS request;
     *                 NaN: not looked up, each shard then uses its own best
     */
    record Scoring(
        String vectorField,
        float[] vector,
        Calibration calibration,
        Weights weights,
        float bestBm25,
        float minScore,
        String note
    ) {
        /** The score of a document with this cosine (NaN: no vector), this BM25 (0: no match), with or without any text. */
        float score(float cosine, float bm25, boolean hasText) {
            return Calibration.score(evidence(calibration.vector(cosine), bm25, hasText));
        }

        float evidence(float vectorEvidence, float bm25, boolean hasText) {
            float text = hasText || bm25 > 0 ? calibration.text(bm25, bestBm25) : 0f;
            return weights.vector() * vectorEvidence + weights.text() * text;
        }

        Scoring withBestBm25(float best) {
            return new Scoring(vectorField, vector, calibration, weights, best, minScore, note);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scoring s
                && vectorField.equals(s.vectorField)
                && Arrays.equals(vector, s.vector)
                && calibration.equals(s.calibration)
                && weights.equals(s.weights)
                && Float.compare(bestBm25, s.bestBm25) == 0
                && minScore == s.minScore
                && note.equals(s.note);
        }

        @Override
        public int hashCode() {
            return Objects.hash(vectorField, Arrays.hashCode(vector), calibration, weights, bestBm25, minScore, note);
        }
    }

    CalibratedHybridQuery(
        Query knn,
        Query knnWithoutText,
        Query lexical,
        Query hasText,
        List<String> textFields,
        int k,
        int candidates,
        Scoring scoring
    ) {
        if (candidates < k) {
            throw new IllegalArgumentException("candidates " + candidates + " below k " + k);
        }
        this.textFields = List.copyOf(textFields);
        this.knn = knn;
        this.knnWithoutText = knnWithoutText;
        this.lexical = lexical;
        this.hasText = hasText;
        this.k = k;
        this.candidates = candidates;
        this.scoring = scoring;
    }

    /**
     * The k nearest of a kNN search for {@code candidates}, in doc id order. A quantized graph ranks by approximate scores (a
     * 1-bit one far from the cosine order), so when it was asked for more than k its candidates are ranked again by the exact
     * cosine of the raw vectors, which stay on disk beside the quantized ones: that is what oversampling buys.
     */
    private int[] nearest(IndexSearcher searcher, Query query) throws IOException {
        // rewritten before the search, so that a filter's rewrite inside kNN's own does not run under the search's rewrite
        ScoreDoc[] found = searcher.search(query.rewrite(searcher), candidates).scoreDocs;
        int[] docs = new int[found.length];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = found[i].doc;
        }
        Arrays.sort(docs);
        if (docs.length <= k) {
            return docs;
        }
        float[] exact = exactCosines(searcher, docs);
        Integer[] order = new Integer[docs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(exact[b], exact[a]));
        int[] best = new int[k];
        for (int i = 0; i < k; i++) {
            best[i] = docs[order[i]];
        }
        Arrays.sort(best);
        return best;
    }

    /**
     * The exact cosine of each of {@code sortedDocs} (top-level ids, ascending; -infinity for a document without a vector),
     * read with one forward pass over each leaf's vectors.
     */
    private float[] exactCosines(IndexSearcher searcher, int[] sortedDocs) throws IOException {
        float[] out = new float[sortedDocs.length];
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int i = 0;
        while (i < sortedDocs.length) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[i], leaves));
            int end = leaf.docBase + leaf.reader().maxDoc();
            FloatVectorValues vectors = leaf.reader().getFloatVectorValues(scoring.vectorField());
            KnnVectorValues.DocIndexIterator it = vectors == null ? null : vectors.iterator();
            for (; i < sortedDocs.length && sortedDocs[i] < end; i++) {
                int doc = sortedDocs[i] - leaf.docBase;
                boolean has = it != null && (it.docID() == doc || (it.docID() < doc && it.advance(doc) == doc));
                out[i] = has ? ForReader.cosine(scoring, vectors.vectorValue(it.index())) : Float.NEGATIVE_INFINITY;
            }
        }
        return out;
    }

    /**
     * The searches this query needs (the nearest, the shard's best BM25) run here rather than in {@code rewrite}: a rewrite
     * runs under the searcher's rewrite timer, which does not nest, and each search rewrites its own query, so a profiled
     * request read a rewrite_time of the node's uptime (the inner rewrite's stop cleared the outer one's start).
     */
    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        // through the searcher, so that a profile shows the per-reader query (clip_hybrid_calibrated) with its own counts
        return searcher.createWeight(forReader(searcher), scoreMode, boost);
    }

    /** This query for the searcher's reader, once its nearest documents and, without DFS, its best BM25 are known. */
    ForReader forReader(IndexSearcher searcher) throws IOException {
        int[] docs = nearest(searcher, knn);
        // The k nearest outscore every other document that has no text match, unless it has text (then its words count
        // against it) and the other has none: the k nearest without text close that gap, so the best hits do not depend on
        // how the index is split into shards.
        int[] nearest = docs;
        if (knnWithoutText != null && someLackText(searcher)) {
            int[] bare = nearest(searcher, knnWithoutText);
            nearest = Arrays.copyOf(docs, docs.length + bare.length);
            System.arraycopy(bare, 0, nearest, docs.length, bare.length);
            nearest = Arrays.stream(nearest).sorted().distinct().toArray();
        }
        // A document outside the k nearest has a cosine no higher than the farthest of them (as far as HNSW finds them),
        // which bounds its vector evidence: when the collector only wants competitive hits, a text match whose bound cannot
        // compete is skipped before its vector is read. Fewer than k nearest: every vector was found, so none is outside.
        float farthest = -1f;
        if (docs.length == k) {
            farthest = Float.POSITIVE_INFINITY;
            for (float cosine : exactCosines(searcher, docs)) {
                if (cosine != Float.NEGATIVE_INFINITY) {
                    farthest = Math.min(farthest, cosine);
                }
            }
            farthest = farthest == Float.POSITIVE_INFINITY ? -1f : farthest;
        }
        float outsideBound = scoring.calibration().vector(farthest);
        Query words = lexical == null ? null : searcher.rewrite(lexical);
        Scoring scored = Float.isNaN(scoring.bestBm25()) ? scoring.withBestBm25(BestBm25.of(searcher, words)) : scoring;
        Query texts = hasText == null ? null : searcher.rewrite(hasText);
        return new ForReader(nearest, outsideBound, words, texts, scored, searcher.getIndexReader().getContext().id());
    }

    /** Whether any document of the reader may lack text: not when, in every segment, one text field is in every document. */
    private boolean someLackText(IndexSearcher searcher) throws IOException {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            boolean full = false;
            for (String field : textFields) {
                Terms terms = leaf.reader().terms(field);
                full |= terms != null && terms.getDocCount() == leaf.reader().maxDoc();
            }
            if (full == false) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void visit(QueryVisitor visitor) {
        QueryVisitor sub = visitor.getSubVisitor(BooleanClause.Occur.SHOULD, this);
        knn.visit(sub);
        if (knnWithoutText != null) {
            knnWithoutText.visit(sub);
        }
        if (lexical != null) {
            lexical.visit(sub);
        }
    }

    @Override
    public String toString(String field) {
        return "clip_hybrid(calibrated k=" + k + (candidates > k ? " of " + candidates : "") + ", vector: " + knn.toString(field) + ", text: "
            + (lexical == null ? "none" : lexical.toString(field)) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o)
            && knn.equals(((CalibratedHybridQuery) o).knn)
            && Objects.equals(knnWithoutText, ((CalibratedHybridQuery) o).knnWithoutText)
            && Objects.equals(lexical, ((CalibratedHybridQuery) o).lexical)
            && Objects.equals(hasText, ((CalibratedHybridQuery) o).hasText)
            && k == ((CalibratedHybridQuery) o).k
            && candidates == ((CalibratedHybridQuery) o).candidates
            && scoring.equals(((CalibratedHybridQuery) o).scoring);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), knn, knnWithoutText, lexical, hasText, k, candidates, scoring);
    }

    /** The query for one reader, once that reader's nearest documents are known. */
    static final class ForReader extends Query {
        private final int[] nearest;
        /** The most vector evidence a document outside {@code nearest} can have. */
        private final float outsideBound;
        private final Query lexical;
        private final Query hasText;
        private final Scoring scoring;
        private final Object readerId;

        ForReader(int[] nearest, float outsideBound, Query lexical, Query hasText, Scoring scoring, Object readerId) {
            this.nearest = nearest;
            this.outsideBound = outsideBound;
            this.lexical = lexical;
            this.hasText = hasText;
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
            Weight hasTextWeight = hasText == null ? null : searcher.createWeight(hasText, ScoreMode.COMPLETE_NO_SCORES, 1f);
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
                        hasTextWeight == null ? null : hasTextWeight.scorer(context),
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
                    return explainDoc(lexicalWeight, hasTextWeight, context, doc, boost);
                }

                @Override
                public boolean isCacheable(LeafReaderContext ctx) {
                    return false;
                }
            };
        }

        private Explanation explainDoc(Weight lexicalWeight, Weight hasTextWeight, LeafReaderContext context, int doc, float boost)
            throws IOException {
            boolean isNear = Arrays.binarySearch(nearest, context.docBase + doc) >= 0;
            Explanation text = lexicalWeight == null ? Explanation.noMatch("no text fields") : lexicalWeight.explain(context, doc);
            if (isNear == false && text.isMatch() == false) {
                return Explanation.noMatch("clip_hybrid: neither among the k nearest vectors nor a text match");
            }
            float cosine = cosine(scoring, context.reader().getFloatVectorValues(scoring.vectorField()), doc);
            Calibration c = scoring.calibration();
            float bm25 = text.isMatch() ? text.getValue().floatValue() : 0f;
            boolean withText = text.isMatch() || (hasTextWeight != null && hasTextWeight.explain(context, doc).isMatch());
            float vectorEvidence = c.vector(cosine);
            float evidence = scoring.evidence(vectorEvidence, bm25, withText);
            float score = Calibration.score(evidence);
            String rule = isNear
                ? (text.isMatch() ? "found by both sides" : "found by the vector side")
                : "found by the text side; vector evidence from the exact cosine of its stored vector";
            Explanation vectorPart = Explanation.match(
                scoring.weights().vector() * vectorEvidence,
                Float.isNaN(cosine)
                    ? "vector: the document has no vector in [" + scoring.vectorField() + "], judged as cosine -1: evidence "
                        + vectorEvidence + ", weight " + scoring.weights().vector()
                    : "vector: cosine " + cosine + ", evidence 2 * (cosine - " + (c.cosineLow() + c.cosineHigh()) / 2 + ") / ("
                        + c.cosineHigh() + " - " + c.cosineLow() + ") = " + vectorEvidence + ", weight " + scoring.weights().vector()
                        + (isNear ? ", among the k nearest" : "")
            );
            Explanation textPart;
            if (withText) {
                float textEvidence = c.text(bm25, scoring.bestBm25());
                String how = "bm25 " + bm25 + ", evidence bm25 - text_floor " + c.textFloor() + " * best bm25 " + scoring.bestBm25() + " = "
                    + textEvidence + ", weight " + scoring.weights().text();
                textPart = text.isMatch()
                    ? Explanation.match(scoring.weights().text() * textEvidence, "text: " + how, text)
                    : Explanation.match(scoring.weights().text() * textEvidence, "text: has text but the words do not match: " + how);
            } else if (lexicalWeight == null) {
                textPart = Explanation.match(0f, "text: no text_fields to search: 0");
            } else {
                textPart = Explanation.match(0f, "text: no text in the text fields, so no evidence either way: 0");
            }
            String description = "clip_hybrid calibrated: 1 / (1 + exp(-evidence)), evidence " + evidence + " = vector + text; " + rule
                + scoring.note();
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
                && Objects.equals(hasText, ((ForReader) o).hasText)
                && scoring.equals(((ForReader) o).scoring);
        }

        @Override
        public int hashCode() {
            return Objects.hash(classHash(), readerId, Arrays.hashCode(nearest), lexical, hasText, scoring);
        }
    }
}
