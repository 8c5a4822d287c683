package org.opensearch.cliphybrid.harvest;

import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Requests, statuses and summaries survive the wire, parse as documented, and refuse bad input by field. */
public class HarvestWireTests extends OpenSearchTestCase {

    private static HarvestRequest parse(String json) throws IOException {
        try (
            XContentParser p = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)
        ) {
            return HarvestRequest.parse(p);
        }
    }

    private static void assertRefused(String json, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue("[" + fragment + "] not in [" + e.getMessage() + "]", e.getMessage().contains(fragment));
    }

    public void testRequestParsesAndRoundTrips() throws IOException {
        HarvestRequest r = parse(
            "{\"urls\": [\"https://example.org/\"], \"depth\": 2, \"index\": \"img\", \"pipeline\": \"p\", "
                + "\"host_delay\": \"250ms\", \"max_pages\": 7}"
        );
        assertEquals(List.of("https://example.org/"), r.urls());
        assertEquals(2, r.depth());
        assertEquals(TimeValue.timeValueMillis(250), r.hostDelay());
        assertEquals(Integer.valueOf(7), r.maxPages());
        r.setShouldStoreResult(true);
        BytesStreamOutput out = new BytesStreamOutput();
        r.writeTo(out);
        assertEquals(r, new HarvestRequest(out.bytes().streamInput()));

        HarvestRequest minimal = parse("{\"urls\": \"http://example.org/a\", \"index\": \"img\"}");
        assertEquals(0, minimal.depth());
        assertNull(minimal.pipeline());
        assertNull(minimal.hostDelay());
        out = new BytesStreamOutput();
        minimal.writeTo(out);
        assertEquals(minimal, new HarvestRequest(out.bytes().streamInput()));
    }

    public void testBadRequestsNameTheField() {
        assertRefused("{\"index\": \"i\"}", "[urls] must name at least one page");
        assertRefused("{\"urls\": [\"ftp://x/\"], \"index\": \"i\"}", "[urls][0] [ftp://x/]: only http and https");
        assertRefused("{\"urls\": [1], \"index\": \"i\"}", "[urls] must hold strings");
        assertRefused("{\"urls\": [\"http://x/\"]}", "[index] is required");
        assertRefused("{\"urls\": [\"http://x/\"], \"index\": \"i\", \"depth\": 9}", "[depth] must be between 0 and 5");
        assertRefused("{\"urls\": [\"http://x/\"], \"index\": \"i\", \"depth\": \"one\"}", "[depth] must be an integer");
        assertRefused("{\"urls\": [\"http://x/\"], \"index\": \"i\", \"max_pages\": 0}", "[max_pages] must be at least 1");
        assertRefused("{\"urls\": [\"http://x/\"], \"index\": \"i\", \"host_delay\": \"soon\"}", "host_delay");
        assertRefused("{\"urls\": [\"http://x/\"], \"index\": \"i\", \"colour\": 1}", "unknown field [colour]");
    }

    public void testCountsSizesAndTimesHaveBounds() {
        String base = "{\"urls\": [\"http://x/\"], \"index\": \"i\", ";
        assertRefused(base + "\"max_pages\": 10001}", "[max_pages] must be at most 10000, got 10001");
        assertRefused(base + "\"max_pages\": 99999999999}", "[max_pages] must be between 1 and 10000, got 99999999999");
        assertRefused(base + "\"max_pages\": 99999999999999999999999}", "[max_pages] must be between 1 and 10000");
        assertRefused(base + "\"depth\": 99999999999}", "[depth] must be between 0 and 5, got 99999999999");
        assertRefused(base + "\"host_delay\": \"0ms\"}", "[host_delay] must be at least 100ms, got 0ms");
        assertRefused(base + "\"host_delay\": \"99ms\"}", "[host_delay] must be at least 100ms, got 99ms");
        assertRefused(base + "\"host_delay\": \"30d\"}", "[host_delay] must be at most 1m, got 30d");
        assertRefused(base + "\"host_delay\": \"-1\"}", "[host_delay] must be at least 100ms");
        StringBuilder many = new StringBuilder("{\"index\": \"i\", \"urls\": [");
        for (int i = 0; i <= HarvestRequest.MAX_URLS; i++) {
            many.append(i == 0 ? "" : ", ").append("\"http://x/").append(i).append("\"");
        }
        assertRefused(many.append("]}").toString(), "[urls] must name at most 100 pages, got 101");
        String longUrl = "http://x/" + "a".repeat(HarvestRequest.MAX_URL_LENGTH);
        assertRefused("{\"index\": \"i\", \"urls\": [\"" + longUrl + "\"]}", "[urls][0] is 2057 characters long, over the limit of 2048");
        // the bounds themselves are accepted
        for (String ok : new String[] { "\"max_pages\": 10000", "\"host_delay\": \"100ms\"", "\"host_delay\": \"1m\"" }) {
            try {
                parse(base + ok + "}");
            } catch (IOException | IllegalArgumentException e) {
                throw new AssertionError(ok, e);
            }
        }
    }

    public void testStatusAndResponseRoundTripAndRender() throws IOException {
        HarvestProgress progress = new HarvestProgress();
        progress.pageFetched();
        progress.pageSkippedByRobots();
        progress.imagesFound(5);
        progress.foundBy(
            List.of(
                new HarvestedImage("http://h/a.jpg", null, null, null, null, null, null, null, null,
                    java.util.Set.of(FoundBy.IMG, FoundBy.JSON_LD), List.of("http://h/a-260w.jpg", "http://h/a-400w.jpg")),
                new HarvestedImage("http://h/b.jpg", null, null, null, null, null, null).tagged(FoundBy.SCRIPT_JSON),
                new HarvestedImage("http://h/c.jpg", null, null, null, null, null, null).tagged(FoundBy.IMG)
            )
        );
        progress.linksDropped(7);
        progress.imagesDropped(2);
        progress.imageIndexed();
        for (int i = 0; i < 4; i++) {
            progress.imageFailed("http://h/" + i + ".jpg", "HTTP 404 from [http://h/" + i + ".jpg]");
        }
        progress.phase("done");
        HarvestStatus status = progress.snapshot();
        assertEquals(
            List.of(new HarvestStatus.FailureGroup("image: HTTP 404 from [<url>]", 4, List.of("http://h/0.jpg", "http://h/1.jpg", "http://h/2.jpg"))),
            status.failures()
        );

        BytesStreamOutput out = new BytesStreamOutput();
        status.writeTo(out);
        assertEquals(status, new HarvestStatus(out.bytes().streamInput()));

        HarvestResponse response = new HarvestResponse(status, 1234);
        out = new BytesStreamOutput();
        response.writeTo(out);
        StreamInput in = out.bytes().streamInput();
        assertEquals(response, new HarvestResponse(in));

        BytesReference json = org.opensearch.core.xcontent.XContentHelper.toXContent(response, MediaTypeRegistry.JSON, ToXContent.EMPTY_PARAMS, false);
        Map<String, Object> map = XContentHelper.convertToMap(json, false, MediaTypeRegistry.JSON).v2();
        assertEquals(1234, map.get("took_ms"));
        assertEquals("done", map.get("phase"));
        assertEquals(Map.of("fetched", 1, "failed", 0, "skipped_by_robots", 1, "queued", 0, "links_dropped", 7), map.get("pages"));
        assertEquals(
            Map.of(
                "found", 5, "indexed", 1, "failed", 4, "skipped_by_robots", 0, "dropped", 2, "renditions", 2,
                "found_by", Map.of("img", 2, "json_ld", 1, "script_json", 1)
            ),
            map.get("images")
        );
        assertEquals(Map.of("img", 2L, "json_ld", 1L, "script_json", 1L), status.imagesFoundBy());
        // found_by renders in FoundBy's order whatever order the map has after the wire
        String rendered = json.utf8ToString();
        assertTrue(rendered, rendered.indexOf("\"img\"") < rendered.indexOf("\"json_ld\""));
        assertTrue(rendered, rendered.indexOf("\"json_ld\"") < rendered.indexOf("\"script_json\""));
    }
}
