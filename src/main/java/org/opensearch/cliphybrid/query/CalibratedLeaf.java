package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOSupplier;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Weights;

import java.io.IOException;

/**
 * One segment of the composable mode: the union of the nearest documents and the text matches, each scored once from its
 * stored vector, its BM25 and whether it has any text. Walked two ways: as a {@link Scorer} wherever Lucene asks for one
 * (inside bool, for example),
 * and as a {@link BulkScorer} when clip_hybrid ranks the hits alone. There the words' own bulk scorer drives: Lucene's
 * block-max bulk scorers (MaxScore for a bool of terms, also under the dis_max of a multi_match) skip whole blocks once they
 * know the BM25 a text match needs, which the words' per-document scorer, nested under dis_max, does not.
 */
final class CalibratedLeaf {
    private final CalibratedHybridQuery.Scoring scoring;
    private final float outsideBound;
    private final float boost;
    private final SortedDocsIterator near;
    private final ScorerSupplier words;
    private final IOSupplier<Scorer> exactWords;
    private final DocIdSetIterator withText;
    private final FloatVectorValues vectors;
    private final KnnVectorValues.DocIndexIterator vectorDocs;
    private Scorer exact;
    /** The (boosted) score below which a document outside the nearest cannot compete; 0 until the collector says. */
    private float minCompetitive;
    /** The BM25 a text match outside the nearest needs to compete, as last told to the words. */
    private float neededBm25;

    /**
     * @param outsideBound the most vector evidence a document outside the nearest can have
     * @param words        the text side in this segment, null when none
     * @param exactWords   a second text scorer, never told to skip, for the exact BM25 of nearest documents the first skipped
     * @param withText     the documents with any text in the text fields, null when none has
     */
    CalibratedLeaf(
        CalibratedHybridQuery.Scoring scoring,
        float outsideBound,
        float boost,
        SortedDocsIterator near,
        ScorerSupplier words,
        IOSupplier<Scorer> exactWords,
        Scorer withText,
        FloatVectorValues vectors
    ) {
        this.scoring = scoring;
        this.outsideBound = outsideBound;
        this.boost = boost;
        this.near = near;
        this.words = words;
        this.exactWords = exactWords;
        this.withText = withText == null ? null : withText.iterator();
        this.vectors = vectors;
        this.vectorDocs = vectors == null ? null : vectors.iterator();
    }

    long cost() {
        return near.cost() + (words == null ? 0 : words.cost());
    }

    Scorer scorer() throws IOException {
        return new HybridScorer(words == null ? null : words.get(Long.MAX_VALUE));
    }

    BulkScorer bulkScorer() throws IOException {
        return new HybridBulkScorer(words == null ? null : words.bulkScorer());
    }

    /** Takes the collector's new minimum and, when it rises, tells the words (null: none yet) the BM25 a text match now needs. */
    private void tellMinCompetitive(float level, Scorable words) throws IOException {
        if (level <= minCompetitive) {
            return;
        }
        minCompetitive = level;
        Weights w = scoring.weights();
        Calibration c = scoring.calibration();
        // the evidence of the score just below: a sigmoid saturates, so a finite evidence may score exactly 1.0 in float, and
        // the evidence of 1.0 itself (infinite) would skip documents that tie with the page's last
        float neededEvidence = Calibration.evidence(Math.nextDown(level / boost));
        float outside = w.vector() * outsideBound;
        // without a text weight the words lift no document: the vector side's bound alone decides, for every text match
        float neededText = w.text() != 0 ? (neededEvidence - outside) / w.text()
            : outside >= neededEvidence ? Float.NEGATIVE_INFINITY
            : Float.POSITIVE_INFINITY;
        float bm25 = c.bm25For(neededText, scoring.bestBm25());
        // a little slack for rounding: the words skip only what is surely below
        neededBm25 = Float.isNaN(bm25) || bm25 <= 0 ? 0f : Float.isInfinite(bm25) ? Float.MAX_VALUE : Math.nextDown(bm25 * 0.999f);
        if (words != null) {
            words.setMinCompetitiveScore(neededBm25);
        }
    }

    /** A text match outside the nearest, bounded by its BM25 and the farthest nearest cosine, without reading its vector. */
    private boolean cannotCompete(float bm25) {
        return minCompetitive > 0 && boost * Calibration.score(scoring.evidence(outsideBound, bm25, true)) < minCompetitive;
    }

    /** The document's score from its stored vector, {@code bm25} and whether it has text; documents come in increasing order. */
    private float score(int doc, float bm25) throws IOException {
        float cosine = Float.NaN;
        if (vectorDocs != null && (vectorDocs.docID() == doc || (vectorDocs.docID() < doc && vectorDocs.advance(doc) == doc))) {
            cosine = CalibratedHybridQuery.ForReader.cosine(scoring, vectors.vectorValue(vectorDocs.index()));
        }
        return boost * scoring.score(cosine, bm25, bm25 > 0 || hasText(doc));
    }

    private boolean hasText(int doc) throws IOException {
        if (withText == null) {
            return false;
        }
        int at = withText.docID() < doc ? withText.advance(doc) : withText.docID();
        return at == doc;
    }

    private boolean reachesMinScore(float score) {
        return scoring.minScore() == Float.NEGATIVE_INFINITY || score >= boost * scoring.minScore();
    }

    /** The exact BM25 of a nearest document, 0 when its words do not match; documents come in increasing order. */
    private float exactBm25(int doc) throws IOException {
        if (words == null) {
            return 0f;
        }
        if (exact == null) {
            exact = exactWords.get();
        }
        DocIdSetIterator it = exact.iterator();
        int at = it.docID() < doc ? it.advance(doc) : it.docID();
        return at == doc ? exact.score() : 0f;
    }

    /** Document at a time, in doc order, for callers that need a scorer; min_score drops documents in phase two. */
    private final class HybridScorer extends Scorer {
        private final Scorer text;
        private final DocIdSetIterator approximation;
        private int scoredDoc = -1;
        private float score;
        /** The last target of {@link #advanceShallow}: {@link #getMaxScore} bounds the documents from there on. */
        private int shallowTarget = -1;

        HybridScorer(Scorer text) {
            this.text = text;
            this.approximation = text == null ? near : new Union(near, text.iterator());
        }

        @Override
        public int docID() {
            return approximation.docID();
        }

        @Override
        public DocIdSetIterator iterator() {
            return TwoPhaseIterator.asDocIdSetIterator(twoPhaseIterator());
        }

        @Override
        public TwoPhaseIterator twoPhaseIterator() {
            return new TwoPhaseIterator(approximation) {
                @Override
                public boolean matches() throws IOException {
                    int doc = approximation.docID();
                    if (near.docID() != doc && cannotCompete(text.score())) {
                        return false;
                    }
                    return reachesMinScore(score());
                }

                @Override
                public float matchCost() {
                    return scoring.vector().length;
                }
            };
        }

        /**
         * A nearest document may score up to the boost; a text match outside them no more than its block's best BM25 with
         * the most vector evidence an outside document can have (the score rises with both). A parent that skips by its
         * clauses' maxima (a bool of should clauses, block-max conjunctions) then skips blocks of weak text matches.
         */
        @Override
        public int advanceShallow(int target) throws IOException {
            shallowTarget = Math.max(target, shallowTarget);
            if (text == null || text.docID() == DocIdSetIterator.NO_MORE_DOCS) {
                return DocIdSetIterator.NO_MORE_DOCS;
            }
            // the words' own targets must not go back: they may stand past ours, where the union's other side is
            return text.advanceShallow(Math.max(target, text.docID()));
        }

        @Override
        public float getMaxScore(int upTo) throws IOException {
            if (near.anyIn(Math.max(shallowTarget, docID()), upTo)) {
                return boost;
            }
            if (text == null || text.docID() > upTo) {
                return 0f;
            }
            return boost * Calibration.score(scoring.evidence(outsideBound, text.getMaxScore(upTo), true));
        }

        @Override
        public void setMinCompetitiveScore(float minScore) throws IOException {
            tellMinCompetitive(minScore, text);
        }

        @Override
        public float score() throws IOException {
            int doc = approximation.docID();
            if (doc != scoredDoc) {
                scoredDoc = doc;
                float bm25 = text != null && text.docID() == doc ? text.score() : near.docID() == doc ? exactBm25(doc) : 0f;
                score = CalibratedLeaf.this.score(doc, bm25);
            }
            return score;
        }
    }

    /**
     * The words' bulk scorer collects the text matches that can still compete; the nearest documents, which always match, are
     * merged in before each one so that the collector sees documents in increasing order.
     */
    private final class HybridBulkScorer extends BulkScorer {
        private final BulkScorer text;

        HybridBulkScorer(BulkScorer text) {
            this.text = text;
        }

        @Override
        public int score(LeafCollector collector, Bits acceptDocs, int min, int max) throws IOException {
            Hits hits = new Hits(collector);
            collector.setScorer(hits);
            if (near.docID() < min) {
                near.advance(min);
            }
            // without words the nearest are the only matches: what follows the window is the next of them, or none, which a
            // bulk scorer must say as NO_MORE_DOCS once it reaches the end of the leaf
            int next = text == null ? DocIdSetIterator.NO_MORE_DOCS : max;
            if (text != null) {
                next = text.score(new LeafCollector() {
                    @Override
                    public void setScorer(Scorable scorer) throws IOException {
                        hits.words = scorer;
                        if (minCompetitive > 0) {
                            scorer.setMinCompetitiveScore(neededBm25);
                        }
                    }

                    @Override
                    public void collect(int doc) throws IOException {
                        hits.nearestBefore(doc, acceptDocs);
                        float bm25 = hits.words.score();
                        if (near.docID() == doc) {
                            near.nextDoc();
                        } else if (cannotCompete(bm25)) {
                            return;
                        }
                        hits.collect(doc, bm25);
                    }
                }, acceptDocs, min, max);
            }
            hits.nearestBefore(max, acceptDocs);
            return Math.min(next, near.docID());
        }

        @Override
        public long cost() {
            return CalibratedLeaf.this.cost();
        }
    }

    /** What the collector sees: the score of the document being collected, and a minimum it passes on to the words. */
    private final class Hits extends Scorable {
        private final LeafCollector collector;
        private Scorable words;
        private float current;

        Hits(LeafCollector collector) {
            this.collector = collector;
        }

        @Override
        public float score() {
            return current;
        }

        @Override
        public void setMinCompetitiveScore(float minScore) throws IOException {
            tellMinCompetitive(minScore, words);
        }

        void collect(int doc, float bm25) throws IOException {
            float score = CalibratedLeaf.this.score(doc, bm25);
            if (reachesMinScore(score)) {
                current = score;
                collector.collect(doc);
            }
        }

        /** Collects the nearest documents before {@code upTo} that the words did not collect themselves. */
        void nearestBefore(int upTo, Bits acceptDocs) throws IOException {
            for (int doc = near.docID(); doc < upTo; doc = near.nextDoc()) {
                if (acceptDocs == null || acceptDocs.get(doc)) {
                    collect(doc, exactBm25(doc));
                }
            }
        }
    }

    /** Documents on either iterator, in order. */
    private static final class Union extends DocIdSetIterator {
        private final DocIdSetIterator a, b;
        private int doc = -1;

        Union(DocIdSetIterator a, DocIdSetIterator b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public int docID() {
            return doc;
        }

        @Override
        public int nextDoc() throws IOException {
            return advance(doc + 1);
        }

        @Override
        public int advance(int target) throws IOException {
            int x = a.docID() < target ? a.advance(target) : a.docID();
            int y = b.docID() < target ? b.advance(target) : b.docID();
            return doc = Math.min(x, y);
        }

        @Override
        public long cost() {
            return a.cost() + b.cost();
        }
    }
}
