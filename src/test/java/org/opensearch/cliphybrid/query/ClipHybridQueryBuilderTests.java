package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.ClipHybridPlugin;
import org.opensearch.cliphybrid.query.fusion.Rrf;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchModule;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;

import static org.opensearch.core.xcontent.XContentHelper.toXContent;

/** Writeable and XContent round trips of every option, and the parse errors users see. */
public class ClipHybridQueryBuilderTests extends OpenSearchTestCase {
    private final SearchModule search = new SearchModule(Settings.EMPTY, List.of(new ClipHybridPlugin(Settings.EMPTY)));

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(search.getNamedXContents());
    }

    private NamedWriteableRegistry writeables() {
        return new NamedWriteableRegistry(search.getNamedWriteables());
    }

    private ClipHybridQueryBuilder randomBuilder(boolean mayBeFused) {
        ClipHybridQueryBuilder b = new ClipHybridQueryBuilder(() -> null).vectorField("image_vector").queryText(randomAlphaOfLength(8));
        if (randomBoolean()) {
            float[] v = new float[randomIntBetween(2, 16)];
            for (int i = 0; i < v.length; i++) {
                v[i] = randomFloat();
            }
            b.queryVector(v);
        }
        if (randomBoolean()) {
            b.textFields(List.of("title^2", "tags"));
        }
        b.k(randomIntBetween(1, 500)).rankConstant(randomIntBetween(1, 100));
        if (randomBoolean()) {
            b.model("mini-clip");
        }
        if (randomBoolean()) {
            b.filter(QueryBuilders.termQuery("tags.raw", "dog"));
        }
        if (randomBoolean()) {
            b.boost(2.5f);
        }
        if (randomBoolean()) {
            b.queryName("q1");
        }
        if (mayBeFused && randomBoolean()) {
            // what the coordinator ships to the shards after fusing the global candidates
            b.fusedHits(
                List.of(
                    new GlobalCandidates.Hit("idx", "a", new Rrf.Fused(0, 0.03, new int[] { 1, 2 }, new float[] { 0.9f, 7.5f })),
                    new GlobalCandidates.Hit("idx2", "b", new Rrf.Fused(1, 0.01, new int[] { 0, 1 }, new float[] { Float.NaN, 3f }))
                )
            );
        }
        return b;
    }

    public void testWriteableRoundTrip() throws IOException {
        for (int i = 0; i < 20; i++) {
            ClipHybridQueryBuilder original = randomBuilder(true);
            QueryBuilder copy = copyNamedWriteable(original, writeables(), QueryBuilder.class);
            assertEquals(original, copy);
            assertEquals(original.hashCode(), copy.hashCode());
        }
    }

    public void testXContentRoundTrip() throws IOException {
        // fused candidates are coordinator-to-shard state, never part of the DSL
        for (int i = 0; i < 20; i++) {
            ClipHybridQueryBuilder original = randomBuilder(false);
            String json = toXContent(original, JsonXContent.jsonXContent.mediaType(), ToXContent.EMPTY_PARAMS, false).utf8ToString();
            assertEquals(json, original, parse(json));
        }
    }

    public void testParsesTheIssueExample() throws IOException {
        ClipHybridQueryBuilder b = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": "a dog on the beach", "vector_field": "image_vector", "text_fields": ["title^2", "tags"], "k": 100}}""");
        assertEquals("a dog on the beach", b.queryText());
        assertEquals(List.of("title^2", "tags"), b.textFields());
        assertEquals(100, b.k());
        assertEquals(ClipHybridQueryBuilder.DEFAULT_RANK_CONSTANT, b.rankConstant());
    }

    public void testParseErrorsNameTheProblem() {
        assertParseError("{\"clip_hybrid\": {\"query_text\": \"dog\"}}", "requires [vector_field]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"\"}}", "non-empty [query_text]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"nope\": 1}}", "unknown field [nope]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_vector\": [1], \"text_fields\": [\"t\"]}}", "need a [query_text]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"k\": 0}}", "[k] must be between 1");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"rank_constant\": 0}}", "[rank_constant]");
    }

    public void testAnUnencodedQueryCannotBeSent() {
        ClipHybridQueryBuilder pending = new ClipHybridQueryBuilder(() -> null).vectorField("v").queryText("dog");
        // the builder a coordinator holds while the text is being encoded must never reach a shard
        org.opensearch.index.query.QueryRewriteContext context = new org.opensearch.index.query.BaseQueryRewriteContext(
            xContentRegistry(),
            writeables(),
            null,
            () -> 0L
        );
        try {
            QueryBuilder rewritten = pending.rewrite(context);
            IllegalStateException e = expectThrows(
                IllegalStateException.class,
                () -> copyNamedWriteable(rewritten, writeables(), QueryBuilder.class)
            );
            assertTrue(e.getMessage(), e.getMessage().contains("must be rewritten"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertParseError(String json, String fragment) {
        Exception e = expectThrows(Exception.class, () -> parse(json));
        Throwable t = e;
        StringBuilder messages = new StringBuilder();
        while (t != null) {
            messages.append(t.getMessage()).append(" | ");
            t = t.getCause();
        }
        assertTrue(messages.toString(), messages.toString().contains(fragment));
        assertTrue(e.toString(), e instanceof ParsingException || e instanceof IllegalArgumentException);
    }

    private QueryBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        }
    }
}
