package org.opensearch.cliphybrid.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.queries.function.FunctionScoreQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Composable mode's cost is bounded by the page and the postings' blocks, not by the index: the best BM25 is a top-1 search that
 * skips, and text matches outside the nearest that cannot beat the collector's minimum are never scored. Every test holds the
 * pruned search against one that scores every document (a collector that counts every hit never sets a minimum).
 */
public class CalibratedSkippingTests extends OpenSearchTestCase {
    private static final int DIMS = 16;
    private static final String COMMON = "a";

    /** A corpus like the benchmark's: recycled captions of Zipf-distributed words, "a" in most, clustered vectors. */
    private static final class Corpus {
        final List<String> captions = new ArrayList<>();
        final float[][] centres;

        Corpus(Random r, int vocabulary, int captionCount, int clusters) {
            for (int c = 0; c < captionCount; c++) {
                captions.add(caption(r, vocabulary));
            }
            centres = new float[clusters][DIMS];
            for (float[] c : centres) {
                for (int d = 0; d < DIMS; d++) {
                    c[d] = (float) r.nextGaussian();
                }
            }
        }

        float[] vector(Random r) {
            float[] centre = centres[r.nextInt(centres.length)];
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = centre[d] + 0.8f * (float) r.nextGaussian();
            }
            return v;
        }

        String caption(Random r) {
            return captions.get(r.nextInt(captions.size()));
        }

        /** About eight words: "a" in 82 % of the captions, often twice, the rest drawn with a Zipf-like bias to the first. */
        private static String caption(Random r, int vocabulary) {
            StringBuilder out = new StringBuilder();
            if (r.nextFloat() < 0.82f) {
                out.append(COMMON).append(' ');
                if (r.nextBoolean()) {
                    out.append(COMMON).append(' ');
                }
            }
            for (int i = 0, n = 4 + r.nextInt(6); i < n; i++) {
                int w = (int) Math.min(vocabulary - 1, Math.floor(Math.exp(r.nextDouble() * Math.log(vocabulary))) - 1);
                out.append('w').append(w).append(' ');
            }
            return out.toString();
        }

        /**
         * {@code docs} documents; a share without text or without a vector when asked. Several segments unless merged.
         */
        Directory index(Random r, int docs, boolean gaps, boolean merge) throws IOException {
            Directory dir = new ByteBuffersDirectory();
            IndexWriterConfig config = new IndexWriterConfig().setMaxBufferedDocs(Math.max(50, docs / (1 + r.nextInt(4))));
            try (IndexWriter writer = new IndexWriter(dir, config)) {
                for (int d = 0; d < docs; d++) {
                    Document doc = new Document();
                    doc.add(new StringField("id", Integer.toString(d), Field.Store.YES));
                    doc.add(new StringField("colour", "any", Field.Store.NO));
                    doc.add(new SortedDocValuesField("tag", new BytesRef(Integer.toString(r.nextInt(1000)))));
                    if (gaps == false || r.nextInt(5) > 0) {
                        doc.add(new TextField("title", caption(r), Field.Store.NO));
                        doc.add(new TextField("caption", caption(r), Field.Store.NO));
                    }
                    if (gaps == false || r.nextInt(10) > 0) {
                        doc.add(new KnnFloatVectorField("v", vector(r), VectorSimilarityFunction.COSINE));
                    }
                    writer.addDocument(doc);
                }
                if (merge) {
                    writer.forceMerge(1);
                }
            }
            return dir;
        }
    }

    /** The words as multi_match best_fields builds them over two fields: a dis_max of one bool of terms per field. */
    private static Query words(String text) {
        return new DisjunctionMaxQuery(List.of(terms("title", text), terms("caption", text)), 0f);
    }

    private static Query terms(String field, String text) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String t : text.trim().split(" +")) {
            b.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    private static Query hasText() {
        return new BooleanQuery.Builder().add(new FieldExistsQuery("title"), BooleanClause.Occur.SHOULD)
            .add(new FieldExistsQuery("caption"), BooleanClause.Occur.SHOULD)
            .build();
    }

    private static CalibratedHybridQuery hybrid(Query lexical, float[] vector, int k, Calibration band, Weights weights, float best) {
        return hybrid(lexical, vector, k, band, weights, best, false);
    }

    /**
     * By default the k nearest come from an exact search: a document outside them is bounded by the farthest of them as far
     * as the graph finds them, and a graph that misses a neighbour would make a comparison with the exhaustive search about
     * the graph rather than the skipping.
     */
    private static CalibratedHybridQuery hybrid(
        Query lexical,
        float[] vector,
        int k,
        Calibration band,
        Weights weights,
        float best,
        boolean graph
    ) {
        Query bare = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
            .add(hasText(), BooleanClause.Occur.MUST_NOT)
            .build();
        return new CalibratedHybridQuery(
            graph ? new KnnFloatVectorQuery("v", vector, k) : exactNearest(vector, null),
            graph ? new KnnFloatVectorQuery("v", vector, k, bare) : exactNearest(vector, bare),
            lexical,
            hasText(),
            List.of("title", "caption"),
            k,
            k,
            new CalibratedHybridQuery.Scoring("v", vector, band, weights, best, Float.NEGATIVE_INFINITY, "")
        );
    }

    /** Every document with a vector (and matching {@code filter}), scored by its exact cosine: its top k are the k nearest. */
    private static Query exactNearest(float[] vector, Query filter) {
        BooleanQuery.Builder docs = new BooleanQuery.Builder().add(new FieldExistsQuery("v"), BooleanClause.Occur.FILTER);
        if (filter != null) {
            docs.add(filter, BooleanClause.Occur.FILTER);
        }
        return new FunctionScoreQuery(docs.build(), new Cosine(vector));
    }

    /**
     * 1 + the exact cosine of a document's stored vector with the query's, read past any counting wrapper: the nearest are
     * found while the weight is built, and only what the scoring reads is counted.
     */
    private static final class Cosine extends DoubleValuesSource {
        private final float[] query;

        Cosine(float[] query) {
            this.query = query;
        }

        @Override
        public DoubleValues getValues(LeafReaderContext ctx, DoubleValues scores) throws IOException {
            FloatVectorValues vectors = FilterLeafReader.unwrap(ctx.reader()).getFloatVectorValues("v");
            KnnVectorValues.DocIndexIterator it = vectors == null ? null : vectors.iterator();
            return new DoubleValues() {
                private double value;

                @Override
                public double doubleValue() {
                    return value;
                }

                @Override
                public boolean advanceExact(int doc) throws IOException {
                    if (it == null || (it.docID() < doc ? it.advance(doc) : it.docID()) != doc) {
                        return false;
                    }
                    value = 1 + VectorUtil.cosine(query, vectors.vectorValue(it.index()));
                    return true;
                }
            };
        }

        @Override
        public boolean needsScores() {
            return false;
        }

        @Override
        public DoubleValuesSource rewrite(IndexSearcher searcher) {
            return this;
        }

        @Override
        public boolean isCacheable(LeafReaderContext ctx) {
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cosine other && Arrays.equals(query, other.query);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(query);
        }

        @Override
        public String toString() {
            return "cosine(v)";
        }
    }

    private static TopDocs exhaustive(IndexSearcher s, Query q, int page) throws IOException {
        return s.search(q, new TopScoreDocCollectorManager(page, null, Integer.MAX_VALUE));
    }

    private static TopDocs pruned(IndexSearcher s, Query q, int page) throws IOException {
        return s.search(q, new TopScoreDocCollectorManager(page, null, 1));
    }

    private static void assertSamePage(String what, TopDocs expected, TopDocs actual) {
        assertEquals(what, expected.scoreDocs.length, actual.scoreDocs.length);
        for (int i = 0; i < actual.scoreDocs.length; i++) {
            assertEquals(what + " hit " + i, expected.scoreDocs[i].score, actual.scoreDocs[i].score, 0f);
            assertEquals(what + " hit " + i, expected.scoreDocs[i].doc, actual.scoreDocs[i].doc);
        }
    }

    /** The exhaustive best: every match scored, so nothing can have been skipped. */
    private static float everyMatchBest(IndexSearcher s, Query words) throws IOException {
        TopDocs all = exhaustive(s, words, 1);
        return all.scoreDocs.length == 0 ? 0f : all.scoreDocs[0].score;
    }

    public void testPrunedSearchesFindTheExhaustivePageOnRandomIndices() throws IOException {
        Random r = random();
        for (int round = 0; round < 4; round++) {
            Corpus corpus = new Corpus(r, 20 + r.nextInt(200), 20 + r.nextInt(300), 1 + r.nextInt(10));
            int docs = 300 + r.nextInt(2500);
            try (Directory dir = corpus.index(r, docs, r.nextBoolean(), r.nextBoolean()); DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher s = newSearcher(reader, false);
                String text = r.nextBoolean() ? corpus.caption(r) : COMMON + " w0 w1 w2 w3 w5";
                Query lexical = words(text);
                float best = BestBm25.of(s, s.rewrite(lexical));
                assertEquals(text, everyMatchBest(s, lexical), best, 0f);
                int k = 5 + r.nextInt(60);
                int page = 1 + r.nextInt(20);
                float low = -0.5f + r.nextFloat();
                Calibration band = new Calibration(low, Math.min(1f, low + 0.05f + r.nextFloat()), r.nextFloat());
                // a side may weigh nothing: then the words lift no document, or only they do
                Weights weights = switch (r.nextInt(4)) {
                    case 0 -> new Weights(1f, 0f);
                    case 1 -> new Weights(0f, 1f);
                    default -> new Weights(0.01f + r.nextFloat() * 3, 0.01f + r.nextFloat() * 3);
                };
                Query plain = hybrid(lexical, corpus.vector(r), k, band, weights, r.nextBoolean() ? Float.NaN : best);
                // inside bool: the per-document scorer, and a should clause's parent that skips by clause maxima
                Query filtered = new BooleanQuery.Builder().add(plain, BooleanClause.Occur.MUST)
                    .add(new TermQuery(new Term("colour", "any")), BooleanClause.Occur.FILTER)
                    .build();
                Query either = new BooleanQuery.Builder().add(plain, BooleanClause.Occur.SHOULD)
                    .add(new TermQuery(new Term("title", "w1")), BooleanClause.Occur.SHOULD)
                    .build();
                for (Query q : List.of(plain, filtered, either)) {
                    assertSamePage(text + " / " + q, exhaustive(s, q, page), pruned(s, q, page));
                }
            }
        }
    }

    /** Whatever the maxima a parent reads, no document it then scores beats them. */
    public void testMaxScoresBoundTheScoresOfTheirBlocks() throws IOException {
        Random r = random();
        Corpus corpus = new Corpus(r, 100, 200, 4);
        try (Directory dir = corpus.index(r, 3000, true, false); DirectoryReader reader = DirectoryReader.open(dir)) {
            IndexSearcher s = newSearcher(reader, false);
            Query plain = hybrid(words(corpus.caption(r)), corpus.vector(r), 20, new Calibration(0.1f, 0.6f, 0.5f), Weights.EQUAL, Float.NaN);
            Weight weight = s.createWeight(s.rewrite(plain), ScoreMode.TOP_SCORES, 1.5f);
            for (LeafReaderContext leaf : reader.leaves()) {
                Scorer scorer = weight.scorer(leaf);
                if (scorer == null) {
                    continue;
                }
                DocIdSetIterator it = scorer.iterator();
                int target = 0;
                while (target != DocIdSetIterator.NO_MORE_DOCS) {
                    int upTo = scorer.advanceShallow(target);
                    assertTrue(upTo >= target);
                    float max = scorer.getMaxScore(upTo);
                    for (int doc = it.docID() < target ? it.advance(target) : it.docID(); doc <= upTo && doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                        assertTrue(doc + ": " + scorer.score() + " above " + max, scorer.score() <= max);
                    }
                    target = upTo == DocIdSetIterator.NO_MORE_DOCS ? upTo : Math.max(upTo + 1, it.docID());
                }
            }
        }
    }

    /**
     * On a large index where a word is in most documents: the best BM25 and the page are those of the exhaustive searches, yet
     * the pruned ones stop on a fraction of the postings and score (read the vector of) a small fraction of the matches; a
     * collector that counts every hit, as under sort or exact total hits, still gets every match scored.
     */
    public void testACommonWordIsNotScoredInEveryDocument() throws IOException {
        Random r = random();
        Corpus corpus = new Corpus(r, 300, 1000, 20);
        int docs = 20000;
        try (Directory dir = corpus.index(r, docs, false, true); CountingReader reader = CountingReader.wrap(DirectoryReader.open(dir))) {
            IndexSearcher s = new IndexSearcher(reader);
            String text = COMMON + " " + corpus.caption(r);
            Query lexical = words(text);
            reader.reset();
            float all = everyMatchBest(s, lexical);
            long allPostings = reader.postings.get();
            reader.reset();
            float best = BestBm25.of(s, s.rewrite(lexical));
            long bestPostings = reader.postings.get();
            assertEquals(all, best, 0f);
            logger.info("best BM25 [{}] stopped on {} of {} postings", text, bestPostings, allPostings);
            assertTrue("best BM25 stopped on " + bestPostings + " of " + allPostings + " postings", bestPostings * 2 < allPostings);

            float[] vector = corpus.vector(r);
            Calibration band = new Calibration(0.2f, 0.6f, 0.5f);
            Query hybrid = hybrid(lexical, vector, 100, band, Weights.EQUAL, best);
            Query filtered = new BooleanQuery.Builder().add(hybrid, BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term("colour", "any")), BooleanClause.Occur.FILTER)
                .build();
            for (Query q : List.of(hybrid, filtered)) {
                reader.reset();
                TopDocs every = exhaustive(s, q, 10);
                long everyVectors = reader.vectorReads.get(), everyPostings = reader.postings.get();
                // every hit counted, every hit scored: nothing changes where the collector sets no minimum
                assertEquals(every.totalHits.value(), everyVectors - 100);
                reader.reset();
                TopDocs page = pruned(s, q, 10);
                long vectors = reader.vectorReads.get(), postings = reader.postings.get();
                assertSamePage(q.toString(), every, page);
                logger.info("{}: scored {} of {} matches, stopped on {} of {} postings", q, vectors, everyVectors, postings, everyPostings);
                assertTrue("scored " + vectors + " of " + everyVectors, vectors * 5 < everyVectors);
                assertTrue("stopped on " + postings + " of " + everyPostings + " postings", postings * 3 < everyPostings * 2);
            }

            // under a sort the collector never sets a minimum: every match is scored, as before
            reader.reset();
            TopDocs sorted = s.search(hybrid, new TopFieldCollectorManager(new Sort(new SortField("tag", SortField.Type.STRING)), 10, 1));
            long sortedVectors = reader.vectorReads.get();
            assertEquals(10, sorted.scoreDocs.length);
            assertEquals(exhaustive(s, hybrid, 10).totalHits.value(), sortedVectors - 100);
        }
    }

    /**
     * The profiler's rewrite timer does not nest (a nested stop clears the outer start, and the outer stop then adds the node's
     * uptime), so the searches the query needs must not run inside a rewrite: not its own, nor kNN's of a filter.
     */
    public void testItsSearchesRunOutsideAnyRewrite() throws IOException {
        Random r = random();
        Corpus corpus = new Corpus(r, 50, 100, 3);
        try (Directory dir = corpus.index(r, 800, true, false); DirectoryReader reader = DirectoryReader.open(dir)) {
            IndexSearcher s = new IndexSearcher(reader) {
                private int depth;

                @Override
                public Query rewrite(Query original) throws IOException {
                    assertEquals("a rewrite inside a rewrite of " + original, 0, depth);
                    depth++;
                    try {
                        return super.rewrite(original);
                    } finally {
                        depth--;
                    }
                }
            };
            // the graph's query, whose rewrite rewrites its filter
            Query plain = hybrid(words(corpus.caption(r)), corpus.vector(r), 10, new Calibration(0.1f, 0.6f, 0.5f), Weights.EQUAL, Float.NaN, true);
            TopDocs top = s.search(plain, 5);
            assertEquals(5, top.scoreDocs.length);
            assertTrue(s.explain(plain, top.scoreDocs[0].doc).isMatch());
        }
    }
}
