package org.opensearch.cliphybrid.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.VectorUtil;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A quantized graph ranks its candidates by approximate scores: asked for more than k, composable mode keeps the k whose raw
 * vectors are nearest. The approximate side here is a coarse copy of each vector in a second field (its signs, as 1-bit
 * quantization keeps them), searched by the graph; the exact side is the document's own vector.
 */
public class OversampledNearestTests extends OpenSearchTestCase {
    private static final int DIMS = 8, DOCS = 200, K = 5;

    public void testCandidatesBeyondKAreRankedByTheExactCosine() throws Exception {
        float[][] vectors = new float[DOCS][DIMS];
        float[] query = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            query[d] = (float) random().nextGaussian();
        }
        try (Directory directory = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
                for (int i = 0; i < DOCS; i++) {
                    float[] coarse = new float[DIMS];
                    for (int d = 0; d < DIMS; d++) {
                        vectors[i][d] = (float) random().nextGaussian();
                        coarse[d] = vectors[i][d] >= 0 ? 1f : -1f;
                    }
                    Document doc = new Document();
                    doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                    doc.add(new KnnFloatVectorField("v", vectors[i], VectorSimilarityFunction.COSINE));
                    doc.add(new KnnFloatVectorField("coarse", coarse, VectorSimilarityFunction.COSINE));
                    writer.addDocument(doc);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = newSearcher(reader, false);
                Set<String> exact = new TreeSet<>();
                IntStream.range(0, DOCS)
                    .boxed()
                    .sorted(Comparator.comparingDouble(i -> -VectorUtil.cosine(query, vectors[i])))
                    .limit(K)
                    .forEach(i -> exact.add(Integer.toString(i)));

                Set<String> oversampled = hits(searcher, query, DOCS);
                assertEquals("all candidates, ranked by exact cosine", exact, oversampled);
                // the graph's own order over sign vectors, kept at k, is not the cosine's (ties and coarse scores)
                Set<String> coarseOnly = hits(searcher, query, K);
                assertEquals(K, coarseOnly.size());
            }
        }
    }

    private static Set<String> hits(IndexSearcher searcher, float[] query, int candidates) throws Exception {
        CalibratedHybridQuery q = new CalibratedHybridQuery(
            new KnnFloatVectorQuery("coarse", query, candidates),
            null,
            null,
            null,
            List.of(),
            K,
            candidates,
            new CalibratedHybridQuery.Scoring("v", query, new Calibration(-1f, 1f, 0.5f), Weights.EQUAL, Float.NaN, 0f, "")
        );
        ScoreDoc[] found = searcher.search(q, K).scoreDocs;
        Set<String> ids = new TreeSet<>();
        for (ScoreDoc d : found) {
            ids.add(searcher.storedFields().document(d.doc).get("id"));
        }
        return ids;
    }

    public void testOnlyQuantizedGraphsAskForMore() {
        ClipHybridOptions options = new ClipHybridOptionsBuilder().queryVector(new float[] { 1f, 0f }).vectorField("v").k(100).build();
        assertEquals(100, ShardQueries.candidates(options, MappedVectorField.FLOAT_BITS));
        assertEquals(100, ShardQueries.candidates(options, 7));
        assertEquals(100 * ShardQueries.ONE_BIT_OVERSAMPLE, ShardQueries.candidates(options, 1));
        ClipHybridOptions wide = new ClipHybridOptionsBuilder().queryVector(new float[] { 1f, 0f }).vectorField("v").k(100).efSearch(400).build();
        assertEquals(400, ShardQueries.candidates(wide, 7));
        ClipHybridOptions big = new ClipHybridOptionsBuilder().queryVector(new float[] { 1f, 0f }).vectorField("v").k(5000).build();
        assertEquals(ClipHybridOptions.MAX_K, ShardQueries.candidates(big, 1));
    }
}
