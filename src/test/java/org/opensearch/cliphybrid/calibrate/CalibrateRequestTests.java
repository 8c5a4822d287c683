package org.opensearch.cliphybrid.calibrate;

import org.opensearch.cliphybrid.ClipHybridPlugin;
import org.opensearch.cliphybrid.query.ClipHybridOptions.Fusion;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.NamedWriteableAwareStreamInput;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.search.SearchModule;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The body of _calibrate: what it accepts, each limit's 400 naming the field, and the wire round trip. */
public class CalibrateRequestTests extends OpenSearchTestCase {
    private final SearchModule search = new SearchModule(Settings.EMPTY, List.of(new ClipHybridPlugin(Settings.EMPTY)));

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(search.getNamedXContents());
    }

    private CalibrateRequest parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            return CalibrateRequest.parse("images", parser);
        }
    }

    private static String judgments(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"query_text\": \"dog " + i + "\", \"relevant\": [\"d" + i + "\", \"e" + i + "\"]}");
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static final String QUERY = "\"query\": {\"vector_field\": \"image_vector\", \"text_fields\": [\"title^2\"], \"k\": 50}";

    public void testAFullRequest() throws IOException {
        CalibrateRequest r = parse("{" + QUERY + ", \"judgments\": " + judgments(10) + ", \"holdout\": 0.4, \"seed\": 7, \"metric\": \"mrr@5\", \"profile\": \"flickr_v1\"}");
        assertEquals("images", r.index());
        assertEquals(10, r.judgments().size());
        assertEquals(List.of("d3", "e3"), r.judgments().get(3).relevant());
        assertEquals(0.4, r.holdout(), 0);
        assertEquals(7, r.seed());
        assertEquals("mrr@5", r.metric().toString());
        assertEquals("flickr_v1", r.profile());
        assertEquals("image_vector", r.query().vectorField());
        assertEquals(50, r.query().k());
        assertEquals(List.of("dog 4"), r.queryFor(4).queryTexts());
        assertEquals(4, r.split().holdout().size());
        // 10 with the default, 6 fitted at each of 80 points, 4 held out with the best
        assertEquals(10 + 6 * 80 + 4, r.searches(80));
    }

    public void testDefaults() throws IOException {
        CalibrateRequest r = parse("{" + QUERY + ", \"judgments\": " + judgments(10) + "}");
        assertEquals(CalibrateRequest.DEFAULT_HOLDOUT, r.holdout(), 0);
        assertEquals(0, r.seed());
        assertEquals("ndcg@10", r.metric().toString());
        assertNull(r.profile());
        assertEquals(Fusion.CALIBRATED, r.query().fusion());
    }

    public void testEachLimitIsA400NamingTheField() throws IOException {
        String ok = QUERY + ", \"judgments\": " + judgments(10);
        assertBad("{" + QUERY + "}", "[judgments] is required");
        assertBad("{" + QUERY + ", \"judgments\": " + judgments(3) + "}", "[judgments] has 3 queries; calibration needs at least 4 (2 to fit, 2 to hold out)");
        assertBad("{" + QUERY + ", \"judgments\": " + judgments(1001) + "}", "[judgments] has 1001 queries, more than the limit of 1000");
        assertBad("{" + ok + ", \"holdout\": 0.05}", "[holdout] of 0.05 over 10 [judgments] leaves 9 to fit and 1 to hold out; each part needs at least 2 queries");
        assertBad("{" + ok + ", \"holdout\": 1.5}", "[holdout] must be a fraction between 0 and 1");
        assertBad("{" + ok + ", \"holdout\": \"x\"}", "[holdout] must be a number, got [x]");
        assertBad("{" + ok + ", \"seed\": 1.5}", "[seed] must be an integer, got [1.5]");
        assertBad("{" + ok + ", \"metric\": \"map@10\"}", "[metric] must be ndcg@K, recall@K or mrr@K with K between 1 and 100");
        assertBad("{" + ok + ", \"profile\": \"Bad Name\"}", "[profile] must be 1 to 64 characters of [a-z0-9_-], got [Bad Name]");
        assertBad("{" + ok + ", \"profile\": \"" + "a".repeat(65) + "\"}", "[profile] must be 1 to 64 characters");
        assertBad("{" + ok + ", \"size\": 3}", "unknown field [size] in calibrate request");
        assertBad("{\"judgments\": " + judgments(10) + "}", "[query] is required");
        assertBad("{\"query\": {\"vector_field\": \"v\", \"query_text\": \"x\"}, \"judgments\": " + judgments(10) + "}", "[query] must not hold [query_text]");
        assertBad("{\"query\": {\"vector_field\": \"v\", \"profile\": \"p\"}, \"judgments\": " + judgments(10) + "}", "[query] must not hold [profile]");
        assertBad("{\"query\": {\"vector_field\": \"v\", \"k\": 5}, \"judgments\": " + judgments(10) + "}", "[metric] ndcg@10 reads 10 hits, more than [query.k] of 5");
        String oneBad = judgments(10).replace("\"relevant\": [\"d2\", \"e2\"]", "\"relevant\": []");
        assertBad("{" + QUERY + ", \"judgments\": " + oneBad + "}", "[judgments][2][relevant] must be a non-empty list of document ids");
        String tooMany = judgments(10).replace("[\"d2\", \"e2\"]", "[" + String.join(", ", Collections.nCopies(101, "\"x\"")) + "]");
        assertBad("{" + QUERY + ", \"judgments\": " + tooMany + "}", "[judgments][2][relevant] has 101 ids, more than the limit of 100");
        String longText = judgments(10).replace("\"dog 5\"", "\"" + "w".repeat(2049) + "\"");
        assertBad("{" + QUERY + ", \"judgments\": " + longText + "}", "[judgments][5][query_text] of 2049 characters is longer than the limit of 2048");
        String blank = judgments(10).replace("\"dog 5\"", "\" \"");
        assertBad("{" + QUERY + ", \"judgments\": " + blank + "}", "[judgments][5][query_text] must be a non-empty string");
        String extra = judgments(10).replace("\"query_text\": \"dog 1\"", "\"query_text\": \"dog 1\", \"grade\": 3");
        assertBad("{" + QUERY + ", \"judgments\": " + extra + "}", "[judgments][1] has unknown field [grade]");
        String number = judgments(10).replace("\"d1\"", "7");
        assertBad("{" + QUERY + ", \"judgments\": " + number + "}", "[judgments][1][relevant] must hold non-empty strings, got [7]");
    }

    public void testTheFixedQueryIsCheckedAsClipHybridChecksIt() {
        ParsingException e = expectThrows(ParsingException.class, () -> parse("{\"query\": {\"vector_field\": \"v\", \"fusion\": \"bm25\"}, \"judgments\": " + judgments(10) + "}"));
        assertTrue(e.getMessage(), e.getMessage().contains("[fusion] must be one of calibrated, rrf, linear"));
        e = expectThrows(ParsingException.class, () -> parse("{\"query\": {\"text_fields\": [\"t\"]}, \"judgments\": " + judgments(10) + "}"));
        assertTrue(e.getMessage(), e.getMessage().contains("requires [vector_field]"));
    }

    public void testTheSearchBudget() throws IOException {
        CalibrateRequest r = parse("{" + QUERY + ", \"judgments\": " + judgments(1000) + "}");
        r.checkSearches(20);
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> r.checkSearches(80));
        assertEquals(
            "[judgments] of 1000 queries over a grid of 80 points need 57300 searches, more than the limit of 20000: give fewer judgments",
            e.getMessage()
        );
    }

    public void testWireRoundTrip() throws IOException {
        CalibrateRequest r = parse(
            "{\"query\": {\"vector_field\": \"image_vector\", \"text_fields\": [\"title\"], \"fusion\": \"rrf\", \"filter\": {\"term\": {\"tag\": \"x\"}}}, \"judgments\": "
                + judgments(6) + ", \"holdout\": 0.5, \"seed\": -3, \"metric\": \"recall@20\", \"profile\": \"p-1\"}"
        );
        NamedWriteableRegistry registry = new NamedWriteableRegistry(search.getNamedWriteables());
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            r.writeTo(out);
            try (StreamInput in = new NamedWriteableAwareStreamInput(out.bytes().streamInput(), registry)) {
                CalibrateRequest copy = new CalibrateRequest(in);
                assertEquals(r, copy);
                assertEquals(0, in.available());
            }
        }
    }

    private void assertBad(String json, String message) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue("expected [" + message + "] in [" + e.getMessage() + "]", e.getMessage().contains(message));
    }
}
