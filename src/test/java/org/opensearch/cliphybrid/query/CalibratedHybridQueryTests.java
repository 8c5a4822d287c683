package org.opensearch.cliphybrid.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Composable mode on a real Lucene index: per-document scores from the document's own vector, its BM25 and whether it has text,
 * whatever else matched.
 */
public class CalibratedHybridQueryTests extends OpenSearchTestCase {
    private static final Calibration CALIBRATION = new Calibration(0.0f, 1.0f, 0.5f);
    private static final float[] QUERY = { 1f, 0f, 0f };

    private Directory directory;
    private DirectoryReader reader;
    private IndexSearcher searcher;

    @Override
    public void setUp() throws Exception {
        super.setUp();
        directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            // near: vectors close to the query; far: a text match whose vector is far from it; none: no vector at all
            add(writer, "near1", new float[] { 1f, 0.1f, 0f }, "a dog", "red");
            add(writer, "near2", new float[] { 0.9f, 0.3f, 0f }, "a cat", "red");
            add(writer, "far", new float[] { 0.1f, 1f, 0.2f }, "zorblax park", "blue");
            add(writer, "none", null, "zorblax cafe", "blue");
            // the same vector as near1, without any text: nothing speaks against it
            add(writer, "bare", new float[] { 1f, 0.1f, 0f }, null, "red");
            for (int i = 0; i < 20; i++) {
                add(writer, "other" + i, new float[] { 0f, (float) Math.sin(i), (float) Math.cos(i) }, "something else " + i, "green");
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = newSearcher(reader, false);
    }

    @Override
    public void tearDown() throws Exception {
        reader.close();
        directory.close();
        super.tearDown();
    }

    private static void add(IndexWriter writer, String id, float[] vector, String title, String colour) throws IOException {
        Document doc = new Document();
        doc.add(new StringField("id", id, Field.Store.YES));
        doc.add(new StringField("colour", colour, Field.Store.NO));
        if (title != null) {
            doc.add(new TextField("title", title, Field.Store.NO));
        }
        if (vector != null) {
            doc.add(new KnnFloatVectorField("v", vector, VectorSimilarityFunction.COSINE));
        }
        writer.addDocument(doc);
    }

    private CalibratedHybridQuery query(int k, Query lexical, Weights weights, float minScore) {
        return new CalibratedHybridQuery(
            new KnnFloatVectorQuery("v", QUERY, k),
            new KnnFloatVectorQuery("v", QUERY, k, withoutTitle()),
            lexical,
            new FieldExistsQuery("title"),
            List.of("title"),
            k,
            k,
            new CalibratedHybridQuery.Scoring("v", QUERY, CALIBRATION, weights, Float.NaN, minScore, "")
        );
    }

    private static Query withoutTitle() {
        return new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
            .add(new FieldExistsQuery("title"), BooleanClause.Occur.MUST_NOT)
            .build();
    }

    private static float sigmoid(float evidence) {
        return (float) (1 / (1 + Math.exp(-evidence)));
    }

    private Map<String, Float> scores(Query q) throws IOException {
        TopDocs top = searcher.search(q, 100);
        Map<String, Float> out = new HashMap<>();
        for (ScoreDoc sd : top.scoreDocs) {
            out.put(searcher.storedFields().document(sd.doc).get("id"), sd.score);
            Explanation e = searcher.explain(q, sd.doc);
            assertTrue(e.toString(), e.isMatch());
            assertEquals(e.toString(), sd.score, e.getValue().floatValue(), 1e-6f);
        }
        return out;
    }

    private static float cosine(float[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return (float) (v[0] / n);
    }

    public void testEachDocumentScoresFromItsOwnVectorAndBm25() throws IOException {
        Query zorblax = new TermQuery(new Term("title", "zorblax"));
        Map<String, Float> scores = scores(query(3, zorblax, Weights.EQUAL, 0f));
        assertEquals(scores.toString(), 5, scores.size());
        float best = searcher.search(zorblax, 1).scoreDocs[0].score;
        // has text that does not match: its vector's evidence, less half the best BM25
        float near1 = CALIBRATION.vector(cosine(new float[] { 1f, 0.1f, 0f }));
        assertEquals(sigmoid(near1 - 0.5f * best), scores.get("near1"), 1e-6f);
        // no text at all: judged on its vector alone, so above the same picture with text that does not match
        assertEquals(sigmoid(near1), scores.get("bare"), 1e-6f);
        assertTrue(scores.get("bare") > scores.get("near1"));
        // text side only, but its vector's exact cosine still counts
        float far = CALIBRATION.vector(cosine(new float[] { 0.1f, 1f, 0.2f }));
        assertEquals(sigmoid(far + scoreOf(zorblax, "far") - 0.5f * best), scores.get("far"), 1e-6f);
        // no vector: judged as far as a vector can be, plus its words
        assertEquals(sigmoid(CALIBRATION.vector(-1f) + scoreOf(zorblax, "none") - 0.5f * best), scores.get("none"), 1e-6f);
    }

    public void testTheNearestWithoutTextCompeteBeyondTheKNearest() throws IOException {
        // k = 1: near1 (or bare, the same vector) is the nearest; the other still competes, having no text against it
        Map<String, Float> scores = scores(query(1, new TermQuery(new Term("title", "zorblax")), Weights.EQUAL, 0f));
        assertTrue(scores.toString(), scores.containsKey("bare"));
        float near1 = CALIBRATION.vector(cosine(new float[] { 1f, 0.1f, 0f }));
        assertEquals(sigmoid(near1), scores.get("bare"), 1e-6f);
    }

    public void testTheBestBm25FromTheCoordinatorIsUsedAsGiven() throws IOException {
        Query zorblax = new TermQuery(new Term("title", "zorblax"));
        CalibratedHybridQuery given = new CalibratedHybridQuery(
            new KnnFloatVectorQuery("v", QUERY, 3),
            null,
            zorblax,
            new FieldExistsQuery("title"),
            List.of("title"),
            3,
            3,
            new CalibratedHybridQuery.Scoring("v", QUERY, CALIBRATION, Weights.EQUAL, 10f, 0f, "")
        );
        float near1 = CALIBRATION.vector(cosine(new float[] { 1f, 0.1f, 0f }));
        assertEquals(sigmoid(near1 - 5f), scores(given).get("near1"), 1e-6f);
    }

    public void testAScoreDoesNotDependOnKOrOnOtherHits() throws IOException {
        Query zorblax = new TermQuery(new Term("title", "zorblax"));
        Map<String, Float> small = scores(query(1, zorblax, Weights.EQUAL, 0f));
        Map<String, Float> large = scores(query(10, zorblax, Weights.EQUAL, 0f));
        for (Map.Entry<String, Float> e : small.entrySet()) {
            assertEquals(e.getKey(), e.getValue(), large.get(e.getKey()), 0f);
        }
        assertTrue(large.size() > small.size());
    }

    public void testWeightsAndMinScore() throws IOException {
        Query zorblax = new TermQuery(new Term("title", "zorblax"));
        float best = searcher.search(zorblax, 1).scoreDocs[0].score;
        Map<String, Float> textHeavy = scores(query(3, zorblax, new Weights(1f, 3f), 0f));
        float near1 = CALIBRATION.vector(cosine(new float[] { 1f, 0.1f, 0f }));
        assertEquals(sigmoid(near1 - 3 * 0.5f * best), textHeavy.get("near1"), 1e-6f);
        Map<String, Float> all = scores(query(3, zorblax, Weights.EQUAL, 0f));
        float cut = all.get("bare") - 1e-4f;
        Map<String, Float> kept = scores(query(3, zorblax, Weights.EQUAL, cut));
        for (float s : kept.values()) {
            assertTrue(s >= cut);
        }
        assertTrue(kept.containsKey("bare"));
        assertFalse(kept.containsKey("near1"));
    }

    public void testSkippingNonCompetitiveTextMatchesKeepsTheTopHits() throws IOException {
        // every document matches the words; the collector may skip those that cannot reach its top 3
        Query something = new TermQuery(new Term("title", "something"));
        Query everything = new BooleanQuery.Builder().add(something, BooleanClause.Occur.SHOULD)
            .add(new TermQuery(new Term("title", "zorblax")), BooleanClause.Occur.SHOULD)
            .add(new TermQuery(new Term("title", "a")), BooleanClause.Occur.SHOULD)
            .build();
        Query hybrid = query(2, everything, Weights.EQUAL, Float.NEGATIVE_INFINITY);
        TopDocs exhaustive = searcher.search(hybrid, new TopScoreDocCollectorManager(3, null, Integer.MAX_VALUE));
        TopDocs pruned = searcher.search(hybrid, new TopScoreDocCollectorManager(3, null, 1));
        assertEquals(exhaustive.scoreDocs.length, pruned.scoreDocs.length);
        for (int i = 0; i < pruned.scoreDocs.length; i++) {
            assertEquals(exhaustive.scoreDocs[i].doc, pruned.scoreDocs[i].doc);
            assertEquals(exhaustive.scoreDocs[i].score, pruned.scoreDocs[i].score, 0f);
        }
    }

    public void testComposesInsideBool() throws IOException {
        Query zorblax = new TermQuery(new Term("title", "zorblax"));
        Query hybrid = query(2, zorblax, Weights.EQUAL, 0f);
        Query bool = new BooleanQuery.Builder().add(hybrid, BooleanClause.Occur.MUST)
            .add(new TermQuery(new Term("colour", "blue")), BooleanClause.Occur.FILTER)
            .build();
        Map<String, Float> all = scores(hybrid);
        Map<String, Float> blue = scores(bool);
        assertEquals(Map.of("far", all.get("far"), "none", all.get("none")), blue);
    }

    /**
     * Many segments, a word in most documents, the words under a dis_max as multi_match builds them: whether the words' bulk
     * scorer drives (top level) or a per-document scorer does (inside bool), with the collector skipping from the first hit,
     * the page is the one an exhaustive search over every document finds.
     */
    public void testSkippingKeepsThePageOnEveryPath() throws IOException {
        String[] words = { "a", "a", "a", "dog", "cat", "park", "red", "ball", "runs", "zorblax" };
        int dims = 8;
        float[] query = new float[dims];
        for (int i = 0; i < dims; i++) {
            query[i] = (float) random().nextGaussian();
        }
        try (Directory dir = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(37))) {
                for (int d = 0; d < 400; d++) {
                    Document doc = new Document();
                    doc.add(new StringField("id", Integer.toString(d), Field.Store.YES));
                    doc.add(new StringField("colour", "any", Field.Store.NO));
                    // a third of the documents have no text: the union of the nearest and the matches sees both kinds
                    if (random().nextInt(3) > 0) {
                        doc.add(new TextField("title", sentence(words), Field.Store.NO));
                        doc.add(new TextField("caption", sentence(words), Field.Store.NO));
                    }
                    if (random().nextInt(10) > 0) {
                        float[] v = new float[dims];
                        for (int i = 0; i < dims; i++) {
                            v[i] = (float) random().nextGaussian() + (random().nextBoolean() ? query[i] : 0f);
                        }
                        doc.add(new KnnFloatVectorField("v", v, VectorSimilarityFunction.COSINE));
                    }
                    writer.addDocument(doc);
                }
            }
            try (DirectoryReader many = DirectoryReader.open(dir)) {
                IndexSearcher s = newSearcher(many);
                Query lexical = new DisjunctionMaxQuery(
                    List.of(termsOf("title", "a", "dog", "park", "zorblax"), termsOf("caption", "a", "dog", "park", "zorblax")),
                    0f
                );
                int k = 20 + random().nextInt(30);
                int page = 1 + random().nextInt(15);
                Calibration band = new Calibration(0.1f, 0.7f, random().nextFloat());
                float best = random().nextBoolean() ? Float.NaN : 20 * random().nextFloat();
                CalibratedHybridQuery.Scoring scoring = new CalibratedHybridQuery.Scoring("v", query, band, Weights.EQUAL, best, 0f, "");
                Query hasText = new BooleanQuery.Builder().add(new FieldExistsQuery("title"), BooleanClause.Occur.SHOULD)
                    .add(new FieldExistsQuery("caption"), BooleanClause.Occur.SHOULD)
                    .build();
                Query bare = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                    .add(hasText, BooleanClause.Occur.MUST_NOT)
                    .build();
                Query plain = new CalibratedHybridQuery(
                    new KnnFloatVectorQuery("v", query, k),
                    new KnnFloatVectorQuery("v", query, k, bare),
                    lexical,
                    hasText,
                    List.of("title", "caption"),
                    k,
                    k,
                    scoring
                );
                Query scorerPath = new BooleanQuery.Builder().add(plain, BooleanClause.Occur.MUST)
                    .add(new TermQuery(new Term("colour", "any")), BooleanClause.Occur.FILTER)
                    .build();
                TopDocs exhaustive = s.search(plain, new TopScoreDocCollectorManager(page, null, Integer.MAX_VALUE));
                for (Query q : List.of(plain, scorerPath)) {
                    TopDocs pruned = s.search(q, new TopScoreDocCollectorManager(page, null, 1));
                    assertEquals(q.toString(), exhaustive.scoreDocs.length, pruned.scoreDocs.length);
                    for (int i = 0; i < pruned.scoreDocs.length; i++) {
                        assertEquals(q + " hit " + i, exhaustive.scoreDocs[i].score, pruned.scoreDocs[i].score, 0f);
                        assertEquals(q + " hit " + i, exhaustive.scoreDocs[i].doc, pruned.scoreDocs[i].doc);
                    }
                }
            }
        }
    }

    private String sentence(String[] words) {
        StringBuilder out = new StringBuilder();
        for (int i = 0, n = 1 + random().nextInt(6); i < n; i++) {
            out.append(words[random().nextInt(words.length)]).append(' ');
        }
        return out.toString();
    }

    private static Query termsOf(String field, String... terms) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String t : terms) {
            b.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    private float scoreOf(Query q, String id) throws IOException {
        for (ScoreDoc sd : searcher.search(q, 100).scoreDocs) {
            if (searcher.storedFields().document(sd.doc).get("id").equals(id)) {
                return sd.score;
            }
        }
        throw new AssertionError(id);
    }
}
