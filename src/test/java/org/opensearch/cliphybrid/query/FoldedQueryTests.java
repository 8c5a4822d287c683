package org.opensearch.cliphybrid.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The shard side of fold_duplicates on a real Lucene index: only kept ids match, each with the query's own score. */
public class FoldedQueryTests extends OpenSearchTestCase {
    public void testOnlyKeptHitsMatchWithTheirOwnScoresAndSayWhatTheyFolded() throws IOException {
        try (Directory directory = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
                for (int i = 0; i < 30; i++) {
                    Document doc = new Document();
                    doc.add(new StringField(IdFieldMapper.NAME, Uid.encodeId("d" + i), Field.Store.NO));
                    doc.add(new TextField("title", "dog " + (i % 3 == 0 ? "dog" : "cat") + " " + i, Field.Store.NO));
                    writer.addDocument(doc);
                    if (i % 7 == 0) {
                        writer.commit();
                    }
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = newSearcher(reader, false);
                Query inner = new TermQuery(new Term("title", "dog"));
                Map<String, Integer> kept = Map.of("d0", 2, "d4", 0, "d9", 1, "absent", 3);
                List<BytesRef> ids = kept.keySet().stream().map(Uid::encodeId).toList();
                Query folded = FoldedQuery.of(inner, new TermInSetQuery(IdFieldMapper.NAME, ids), kept);

                Map<Integer, Float> own = new HashMap<>();
                for (ScoreDoc d : searcher.search(inner, 100).scoreDocs) {
                    own.put(d.doc, d.score);
                }
                TopDocs top = searcher.search(folded, 100);
                assertEquals(3, top.scoreDocs.length);
                for (ScoreDoc d : top.scoreDocs) {
                    assertEquals("folding filters, it never rescores", own.get(d.doc), d.score, 0f);
                    Explanation e = searcher.explain(folded, d.doc);
                    assertTrue(e.toString(), e.isMatch());
                    assertEquals(d.score, e.getValue().floatValue(), 0f);
                    assertEquals(searcher.explain(inner, d.doc).getDetails().length, e.getDetails().length);
                    String id = idOf(searcher, d.doc);
                    String expected = switch (id) {
                        case "d0" -> "; folded 2 near-duplicates into it";
                        case "d9" -> "; folded 1 near-duplicate into it";
                        default -> "; no near-duplicate folded into it";
                    };
                    assertTrue(id + ": " + e.getDescription(), e.getDescription().endsWith(expected));
                }
                int notKept = searcher.search(new TermQuery(new Term("title", "1")), 1).scoreDocs[0].doc;
                assertFalse(searcher.explain(folded, notKept).isMatch());
                assertEquals(folded, FoldedQuery.of(inner, new TermInSetQuery(IdFieldMapper.NAME, ids), kept));
            }
        }
    }

    private static String idOf(IndexSearcher searcher, int doc) throws IOException {
        for (int i = 0; i < 30; i++) {
            TopDocs hit = searcher.search(new TermQuery(new Term(IdFieldMapper.NAME, Uid.encodeId("d" + i))), 1);
            if (hit.scoreDocs.length == 1 && hit.scoreDocs[0].doc == doc) {
                return "d" + i;
            }
        }
        throw new AssertionError("no id for doc " + doc);
    }
}
